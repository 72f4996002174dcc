package dev.kcovexplorer.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kcovexplorer.app.model.Aggregate;
import dev.kcovexplorer.app.model.Coverage;
import dev.kcovexplorer.app.model.CoverageLayout;
import dev.kcovexplorer.app.model.DiffCategory;
import dev.kcovexplorer.app.model.LineState;
import dev.kcovexplorer.app.model.PointCoverage;
import dev.kcovexplorer.app.model.RunDiff;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.fixture.FixtureSession;
import dev.kcovexplorer.app.model.fixture.InstrumentedProgram;
import dev.kcovexplorer.app.model.fixture.Tools;
import dev.kcovexplorer.app.model.session.SessionFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The report and diff commands on a session of the gcc fixture: what they print is what the model says. */
class ReportAndDiffCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static FixtureSession fixture;
    static Session session;
    static Path sessionFile;

    @BeforeAll
    static void writeSession() throws Exception {
        InstrumentedProgram.requireTools();
        fixture = FixtureSession.get();
        session = fixture.newSession();
        sessionFile = dir.resolve("fixture.kcovx");
        SessionFile.write(session, sessionFile);
    }

    @Test
    void jsonReportHasEveryFilesLineStatesAndFunctionPoints() throws Exception {
        CliRunner.Result result = CliRunner.run("report", "--session", sessionFile.toString(), "--format", "json");
        assertThat(result.status()).as(result.err()).isZero();
        assertJsonMatches(JSON.readTree(result.out()), session.coverage(session.runs()));
        JsonNode attribution = JSON.readTree(result.out()).get("attribution");
        assertThat(attribution.get("uniquePcs").asInt())
                .isEqualTo(fixture.runA.uniquePcs().length + fixture.runB.uniquePcs().length);
        assertThat(attribution.get("runs").get(0).get("remoteSource").asText()).isEqualTo("USB bus 1");
    }

    @Test
    void expressionReportsTheComposition() throws Exception {
        CliRunner.Result result = CliRunner.run("report", "--session", sessionFile.toString(), "--expr", "B - A");
        assertThat(result.status()).as(result.err()).isZero();
        assertJsonMatches(JSON.readTree(result.out()), session.coverage("B - A"));
    }

    private static void assertJsonMatches(JsonNode report, Coverage coverage) {
        CoverageLayout layout = coverage.layout();
        assertThat(report.get("files")).hasSize(layout.fileCount());
        for (JsonNode file : report.get("files")) {
            int id = layout.findFile(file.get("path").asText());
            assertThat(id).isNotNegative();
            assertThat(file.get("points").asInt()).isEqualTo(coverage.file(id).points());
            assertThat(file.get("coveredPoints").asInt()).isEqualTo(coverage.file(id).coveredPoints());
            for (LineState state : List.of(LineState.COVERED, LineState.PARTIAL, LineState.UNCOVERED,
                    LineState.NOT_EXECUTED)) {
                List<Integer> lines = new ArrayList<>();
                file.get("lines").get(state.jsonName()).forEach(n -> lines.add(n.asInt()));
                assertThat(lines).as(state.jsonName()).isSorted()
                        .containsExactly(box(coverage.lineNumbers(id, state)));
            }
        }
        assertThat(report.get("functions")).hasSize(layout.functionCount());
        for (JsonNode function : report.get("functions")) {
            int id = layout.findFunction(function.get("name").asText(), function.get("path").asText());
            assertThat(function.get("coveredPoints").asInt()).isEqualTo(coverage.function(id).coveredPoints());
            assertThat(function.get("points").asInt()).isEqualTo(coverage.function(id).points());
        }
    }

    @Test
    void syzkallerCsvHasItsColumnsAndTheAggregates() {
        Coverage coverage = session.coverage(session.runs());
        CoverageLayout layout = coverage.layout();
        CliRunner.Result functions = CliRunner.run("report", "--session", sessionFile.toString(), "--format",
                "funccover");
        List<String> rows = functions.out().lines().toList();
        assertThat(rows.get(0)).isEqualTo("Module,Filename,Function,Covered PCs,Total PCs");
        assertThat(rows).hasSize(layout.functionCount() + 1);
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            Aggregate a = coverage.function(layout.findFunction(f[2], f[1]));
            assertThat(f[0]).isEmpty();
            assertThat(f[3] + "/" + f[4]).isEqualTo(a.coveredPoints() + "/" + a.points());
        }
        CliRunner.Result files = CliRunner.run("report", "--session", sessionFile.toString(), "--format", "filecover");
        rows = files.out().lines().toList();
        assertThat(rows.get(0)).isEqualTo("Module,Filename,CoveredLines,TotalLines,CoveredPCs,TotalPCs,"
                + "TotalFunctions,CoveredPCsInFunctions,TotalPCsInFunctions,TotalPCsInCoveredFunctions");
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            int file = layout.findFile(f[1]);
            Aggregate a = coverage.file(file);
            assertThat(List.of(f[2], f[3], f[4], f[5], f[6])).containsExactly(
                    "" + a.coveredLines(), "" + a.lines(), "" + a.coveredPoints(), "" + a.points(),
                    "" + (layout.fileFunctionEnd(file) - layout.fileFunctionStart(file)));
        }
    }

    @Test
    void rawcoverIsTheSortedCoveredCallSites() {
        CliRunner.Result result = CliRunner.run("report", "--session", sessionFile.toString(), "--format", "rawcover");
        List<Long> printed = result.out().lines().map(s -> Long.parseUnsignedLong(s.substring(2), 16)).toList();
        PointCoverage points = session.coverage(session.runs()).points();
        List<Long> expected = new ArrayList<>();
        for (int p = points.nextHit(0); p >= 0; p = points.nextHit(p + 1)) {
            expected.add(session.index().pointAddress(p));
        }
        assertThat(printed).isNotEmpty().isEqualTo(expected).isSorted().doesNotHaveDuplicates();
        assertThat(result.out().lines()).allMatch(s -> s.matches("0x[0-9a-f]+"));
    }

    @Test
    void diffJsonHasEveryLinesCategoryAndTheDeltasLargestFirst() throws Exception {
        CliRunner.Result result = CliRunner.run("diff", "--session", sessionFile.toString(), "A", "B", "--format",
                "json");
        assertThat(result.status()).as(result.err()).isZero();
        JsonNode json = JSON.readTree(result.out());
        RunDiff diff = session.diff(session.coverage(session.run("A").orElseThrow()),
                session.coverage(session.run("B").orElseThrow()));
        CoverageLayout layout = session.layout();
        for (JsonNode file : json.get("files")) {
            int id = layout.findFile(file.get("path").asText());
            assertThat(file.get("gained").asInt()).isEqualTo(diff.fileGained(id));
            assertThat(file.get("lost").asInt()).isEqualTo(diff.fileLost(id));
            for (DiffCategory category : DiffCategory.values()) {
                List<Integer> lines = new ArrayList<>();
                file.get("lines").get(category.name()).forEach(n -> lines.add(n.asInt()));
                assertThat(lines).containsExactly(box(diff.lineNumbers(id, category)));
            }
        }
        List<Integer> changes = new ArrayList<>();
        json.get("functions").forEach(f -> changes.add(f.get("gained").asInt() + f.get("lost").asInt()));
        assertThat(changes).isNotEmpty().isSortedAccordingTo((x, y) -> Integer.compare(y, x));

        CliRunner.Result text = CliRunner.run("diff", "--session", sessionFile.toString(), "A", "B");
        assertThat(text.out()).contains("B gained " + diff.gainedPoints() + " points and lost " + diff.lostPoints());
        RunDiff.Delta top = diff.functionDeltas().get(0);
        assertThat(text.out()).contains("+" + top.gained() + "        -" + top.lost() + "  "
                + layout.functionName(top.id()));
    }

    @Test
    void diffOfDumpFilesNeedsNoSessionForFilesButDoesForNames() {
        CliRunner.Result names = CliRunner.run("diff", "--vmlinux", fixture.program.binary().toString(), "A", "B");
        assertThat(names.status()).isEqualTo(1);
        assertThat(names.err().strip()).isEqualTo("kcov-explorer: no such file: A (names and expressions over runs"
                + " need --session or --series)");
    }

    @Test
    void badInputsGiveOneClearLine() {
        Path missing = dir.resolve("missing.kcovx");
        CliRunner.Result result = CliRunner.run("report", "--session", missing.toString());
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err().strip()).startsWith("kcov-explorer: ").contains(missing.toString()).doesNotContain("\n");

        CliRunner.Result expr = CliRunner.run("report", "--session", sessionFile.toString(), "--expr", "A | Q");
        assertThat(expr.err().strip()).isEqualTo("kcov-explorer: unknown run 'Q' at column 5");

        CliRunner.Result overwrite = CliRunner.run("report", "--session", sessionFile.toString(), "-o",
                sessionFile.toString());
        assertThat(overwrite.status()).isEqualTo(1);
        assertThat(overwrite.err()).contains("refusing to overwrite an input file");

        CliRunner.Result format = CliRunner.run("report", "--session", sessionFile.toString(), "--format", "pdf");
        assertThat(format.err().strip()).startsWith("kcov-explorer: unknown report format 'pdf'");
    }

    @Test
    void sessionCreateIndexesRunsAndHashesTheSources() throws Exception {
        Path out = dir.resolve("created.kcovx");
        Path cache = dir.resolve("xdg");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.kcovexplorer.app.Main", "session", "create",
                "--vmlinux", fixture.program.binary().toString(), "--source-root", fixture.compDir().toString(),
                "-o", out.toString(), "--remote", "kbd=0x0100000000000001", "--remote", "B=local task",
                "--source-package", "linux-source-6.1=6.1.1-1", "--release", "6.1.0-test",
                "kbd=" + fixture.dumpA, fixture.dumpB.toString()).redirectErrorStream(true);
        pb.environment().put("XDG_CACHE_HOME", cache.toString());
        Process p = pb.start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(printed).isZero();
        assertThat(printed).startsWith(out + ": " + fixture.index.pointCount() + " points");

        Session created = SessionFile.read(out);
        assertThat(created.runs()).extracting(r -> r.label() + "/" + r.remoteSource())
                .containsExactly("kbd/USB bus 1", "B/local task");
        assertThat(created.kernel().release()).isEqualTo("6.1.0-test");
        assertThat(created.kernel().sourceManifest().orElseThrow().sourcePackage().version()).isEqualTo("6.1.1-1");
        for (String source : List.of("fixture.c", "fixture.h")) {
            String sha = Tools.check(fixture.compDir(), null, List.of("sha256sum", source)).split(" ")[0];
            assertThat(created.kernel().sourceHashes()).containsEntry(source, sha);
        }
        assertThat(created.runs().get(0).points()).isEqualTo(session.runs().get(0).points());
        assertThat(Files.list(cache.resolve("kcov-explorer").resolve("index"))).isNotEmpty();
    }

    private static Integer[] box(int[] values) {
        Integer[] out = new Integer[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
