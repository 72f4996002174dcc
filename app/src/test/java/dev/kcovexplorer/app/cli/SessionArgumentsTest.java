package dev.kcovexplorer.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.fixture.FixtureSession;
import dev.kcovexplorer.app.model.fixture.InstrumentedProgram;
import dev.kcovexplorer.app.model.session.SessionFile;
import dev.kcovexplorer.app.model.session.SessionFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run names and expressions on a session are checked against its manifest before anything is loaded. The
 * proof: the same session with an unreadable kernel index, which any loading would trip over first.
 */
class SessionArgumentsTest {
    @TempDir
    static Path dir;

    static Path sessionFile;
    static Path unloadable;
    static FixtureSession fixture;

    @BeforeAll
    static void writeSessions() throws Exception {
        InstrumentedProgram.requireTools();
        fixture = FixtureSession.get();
        Session session = fixture.newSession();
        session.addRun(RunInput.of("usb_keyboard", fixture.runA, "USB bus 1"));
        sessionFile = dir.resolve("fixture.kcovx");
        SessionFile.write(session, sessionFile);
        unloadable = SessionFiles.withUnreadableIndex(sessionFile, dir.resolve("unloadable.kcovx"));
        CliRunner.Result loads = CliRunner.run("report", "--session", unloadable.toString());
        assertThat(loads.err()).as("the unloadable session fails when loaded").contains("index.bin");
    }

    @Test
    void reportFindsAMisspeltRunBeforeLoadingAndSuggestsTheNearestName() {
        CliRunner.Result result = CliRunner.run("report", "--session", unloadable.toString(), "--expr", "usb_keybord - A");
        assertRefusedInOneLine(result,
                "kcov-explorer: unknown run 'usb_keybord' (did you mean 'usb_keyboard'?) at column 1");
    }

    @Test
    void reportFindsABadExpressionBeforeLoading() {
        CliRunner.Result result = CliRunner.run("report", "--session", unloadable.toString(), "--expr", "A | (B");
        assertThat(result.err().strip()).startsWith("kcov-explorer: expected ')' to close the '(' at column 5");
    }

    @Test
    void reportSaysARunNameGivenAsADumpIsARunOfTheSession() {
        CliRunner.Result result = CliRunner.run("report", "--session", unloadable.toString(), "usb_keyboard");
        assertThat(result.err().strip()).isEqualTo("kcov-explorer: no such file: usb_keyboard (a run of the session: "
                + "name it in an expression, e.g. --expr usb_keyboard)");
    }

    /** A newcomer names a run where the synopsis says RUN, and misspells it: the nearest name, not only "no such file". */
    @Test
    void reportSuggestsTheSessionsRunForAMisspeltNameGivenAsADump() {
        CliRunner.Result result = CliRunner.run("report", "--session", unloadable.toString(), "usb_keybord");
        assertRefusedInOneLine(result, "kcov-explorer: no such file: usb_keybord (did you mean the session's "
                + "'usb_keyboard'? name it in an expression, e.g. --expr usb_keyboard)");
    }

    @Test
    void diffFindsAMisspeltSideBeforeLoading() {
        CliRunner.Result result = CliRunner.run("diff", "--session", unloadable.toString(), "A", "usb_keyboad");
        assertRefusedInOneLine(result,
                "kcov-explorer: unknown run 'usb_keyboad' (did you mean 'usb_keyboard'?) at column 1");
    }

    /** A session without series has no curves: its manifest says so, reading the whole session (5 s) told nothing more. */
    @Test
    void seriesInfoOnASessionWithoutSeriesSaysSoBeforeLoading() {
        CliRunner.Result result = CliRunner.run("series", "info", "--session", unloadable.toString());
        assertRefusedInOneLine(result, "kcov-explorer: no run series: " + unloadable
                + " has none; give campaign directories as DIR or a session that has series");
    }

    /** cmp names session runs too: a misspelt or TRACE_PC one is said from the manifest, the session was loaded first. */
    @Test
    void cmpFindsAMisspeltOrTracePcRunBeforeLoading() {
        CliRunner.Result misspelt = CliRunner.run("cmp", "--session", unloadable.toString(), "usb_keybord");
        assertRefusedInOneLine(misspelt, "kcov-explorer: no such file: usb_keybord (and no run of "
                + unloadable + " is labelled so; did you mean 'usb_keyboard'?)");

        CliRunner.Result tracePc = CliRunner.run("cmp", "--session", unloadable.toString(), "usb_keyboard");
        assertRefusedInOneLine(tracePc, "kcov-explorer: run 'usb_keyboard' of " + unloadable
                + " is a TRACE_PC run, expected a TRACE_CMP run");
    }

    /** A side that is neither a file nor an expression was said as a bad expression only, not as the missing dump. */
    @Test
    void diffSaysAMissingDumpIsMissing() {
        Path missing = dir.resolve("missing.dump");
        CliRunner.Result result = CliRunner.run("diff", "--session", unloadable.toString(), "A", missing.toString());
        assertRefusedInOneLine(result, "kcov-explorer: no such file: " + missing + " (nor a run name or an"
                + " expression over runs: unexpected '/' (run names start with a letter or _, or are quoted) at column 1)");
    }

    /**
     * session create's run labels (--remote, --colour) and dumps are checked before the vmlinux is indexed: here a
     * text file, which indexing would refuse first.
     */
    @Test
    void sessionCreateFindsAMisspeltLabelOrAMissingDumpBeforeIndexing() throws Exception {
        Path notAnElf = Files.writeString(dir.resolve("vmlinux.txt"), "not a kernel\n");
        String out = dir.resolve("created.kcovx").toString();
        CliRunner.Result misspelt = CliRunner.run("session", "create", "--vmlinux", notAnElf.toString(), "-o", out,
                "--remote", "usb_keybord=usb:1", "usb_keyboard=" + fixture.dumpA);
        assertRefusedInOneLine(misspelt, "kcov-explorer: --remote usb_keybord=usb:1: unknown run "
                + "'usb_keybord' (did you mean 'usb_keyboard'?) at column 1");

        Path missing = dir.resolve("missing.dump");
        CliRunner.Result noDump = CliRunner.run("session", "create", "--vmlinux", notAnElf.toString(), "-o", out,
                "usb_keyboard=" + fixture.dumpA, missing.toString());
        assertRefusedInOneLine(noDump, "kcov-explorer: no such file: " + missing);
        assertThat(dir.resolve("created.kcovx")).doesNotExist();
    }

    @Test
    void aReportWrittenToAFileSaysWhatAndHowBigInOneLine() throws Exception {
        Path out = dir.resolve("report.info");
        CliRunner.Result result = CliRunner.run("report", "--session", sessionFile.toString(), "--format", "lcov",
                "--expr", "usb_keyboard | B", "-o", out.toString());
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo(String.format("lcov report of usb_keyboard | B written to %s (%,d bytes)%n",
                out, Files.size(out)));
    }

    /** The command failed (exit 1) saying only {@code line}. */
    private static void assertRefusedInOneLine(CliRunner.Result result, String line) {
        assertThat(result.status()).as(result.err()).isEqualTo(1);
        assertThat(result.err().strip()).isEqualTo(line);
    }
}
