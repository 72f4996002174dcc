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

    @BeforeAll
    static void writeSessions() throws Exception {
        InstrumentedProgram.requireTools();
        FixtureSession fixture = FixtureSession.get();
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
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err().strip()).isEqualTo(
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

    @Test
    void diffFindsAMisspeltSideBeforeLoading() {
        CliRunner.Result result = CliRunner.run("diff", "--session", unloadable.toString(), "A", "usb_keyboad");
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err().strip()).isEqualTo(
                "kcov-explorer: unknown run 'usb_keyboad' (did you mean 'usb_keyboard'?) at column 1");
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
}
