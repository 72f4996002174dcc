package dev.kcovexplorer.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.model.KernelInfo;
import dev.kcovexplorer.app.model.PathMapper;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.fixture.FixtureSession;
import dev.kcovexplorer.app.model.fixture.InstrumentedProgram;
import dev.kcovexplorer.app.model.session.SessionFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session file written to attack whoever reads it: labels and a release string with terminal control
 * sequences, and a prefix map that points source lookups outside the source root.
 */
class HostileSessionOutputTest {
    private static final String CLEAR_SCREEN = "\u001b[2J";
    private static final String SET_TITLE = "\u001b]0;pwned\u0007";

    @TempDir
    static Path dir;
    static FixtureSession fixture;

    @BeforeAll
    static void fixture() throws Exception {
        InstrumentedProgram.requireTools();
        fixture = FixtureSession.get();
    }

    @Test
    void sessionInfoShowsControlCharactersAsEscapesAndForgesNoLine() throws Exception {
        Session session = fixture.newSession();
        session.renameRun("A", CLEAR_SCREEN + "evil\nforged: line\r");
        session = session.withKernel(new KernelInfo(SET_TITLE + "6.1.0\nkernel: forged", null, "pkg\u001b[31m",
                "1\u202e2", Map.of()));
        Path file = dir.resolve("hostile.kcovx");
        SessionFile.write(session, file);

        CliRunner.Result result = CliRunner.run("session", "info", file.toString());

        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).doesNotContain("\u001b", "\u0007", "\r", "\u202e");
        assertThat(result.out().lines()).as(result.out()).hasSize(3 + session.runs().size());
        assertThat(result.out()).contains("kernel: \\e]0;pwned\\u00076.1.0\\nkernel: forged,")
                .contains("run \\e[2Jevil\\nforged: line\\r (");
    }

    @Test
    void errorsQuotingALabelEscapeItToo() throws Exception {
        Session session = fixture.newSession();
        session.renameRun("A", "A" + CLEAR_SCREEN);
        Path file = dir.resolve("errors.kcovx");
        SessionFile.write(session, file);

        CliRunner.Result unparsable = CliRunner.run("report", "--session", file.toString(), "--expr", "A" + CLEAR_SCREEN);

        assertThat(UserErrors.describe(new java.io.IOException("run 'A" + CLEAR_SCREEN + "'\nforged")))
                .isEqualTo("run 'A\\e[2J'\\nforged");
        assertThat(unparsable.status()).isNotZero();
        assertThat(unparsable.err()).contains("\\e").doesNotContain("\u001b");
    }

    @Test
    void aPrefixMapCannotPointSourceLookupsOutsideTheSourceRoot() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.copy(fixture.compDir().resolve("fixture.c"), root.resolve("fixture.c"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("fixture.c"), "SECRET-FROM-ELSEWHERE\n");
        String compDir = fixture.index.compDir();

        String inside = htmlReport("plain.kcovx", Map.of(), root);
        assertThat(inside).as("sources under the root are embedded").contains("header_sink");

        for (String target : new String[] {elsewhere.toString(), "../elsewhere", "/../" + elsewhere}) {
            String report = htmlReport("mapped.kcovx", Map.of(compDir, target), root);
            assertThat(report).as("prefix map to " + target).doesNotContain("SECRET-FROM-ELSEWHERE");
        }
        Path link = Files.createSymbolicLink(root.resolve("linked"), elsewhere);
        String linked = htmlReport("linked.kcovx", Map.of(compDir, "linked"), root);
        assertThat(linked).as("through a symbolic link out of the root " + link).doesNotContain("SECRET-FROM-ELSEWHERE");
    }

    private static String htmlReport(String name, Map<String, String> prefixMap, Path root) throws Exception {
        Session session = fixture.newSession().withPaths(new PathMapper(fixture.index.compDir(), prefixMap));
        Path file = dir.resolve(name);
        SessionFile.write(session, file);
        CliRunner.Result result = CliRunner.run("report", "--session", file.toString(), "--format", "html",
                "--source-root", root.toString());
        assertThat(result.status()).as(result.err()).isZero();
        return result.out();
    }
}
