package dev.kcovexplorer.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kcovexplorer.app.model.Coverage;
import dev.kcovexplorer.app.model.CoverageLayout;
import dev.kcovexplorer.app.model.CoverageScope;
import dev.kcovexplorer.app.model.LineState;
import dev.kcovexplorer.app.model.RunSeries;
import dev.kcovexplorer.app.model.SeriesCurve;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.SessionRun;
import dev.kcovexplorer.app.model.session.SessionFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The committed demo session against its manifest. {@code sample-data/regenerate} writes MANIFEST.json with the
 * CLI's {@code report}, {@code session info}, readelf and sha256 of the sources; this test recomputes every figure
 * through the coverage model, so a broken regeneration, a hand-edited session or a model change that moves the
 * demo's numbers cannot land silently.
 */
class DemoSessionManifestTest {
    private static Path demo;
    private static JsonNode manifest;
    private static Session session;

    @BeforeAll
    static void readTheDemo() throws IOException {
        Path dir = demoDirectory();
        manifest = new ObjectMapper().readTree(dir.resolve("MANIFEST.json").toFile());
        demo = dir.resolve(manifest.path("session").path("file").asText());
        session = SessionFile.read(demo);
    }

    /** Other classes run next in this test JVM: left in a static field, the demo session stayed on its heap. */
    @AfterAll
    static void letGoOfTheDemo() {
        session = null;
    }

    @Test
    void theFileIsTheOneTheManifestDescribes() throws Exception {
        JsonNode file = manifest.path("session");
        assertThat(Files.size(demo)).isEqualTo(file.path("bytes").asLong());
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(demo));
        assertThat(HexFormat.of().formatHex(digest)).isEqualTo(file.path("sha256").asText());
        long total;
        try (var files = Files.walk(demo.getParent().getParent())) {
            total = files.filter(Files::isRegularFile).mapToLong(DemoSessionManifestTest::size).sum();
        }
        assertThat(total).as("everything under sample-data/ stays under 15 MB").isLessThan(15L << 20);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void kernelFactsMatch() {
        JsonNode kernel = manifest.path("kernel");
        assertThat(session.index().buildId()).isEqualTo(kernel.path("buildId").asText());
        assertThat(session.kernel().release()).isEqualTo(kernel.path("release").asText());
        assertThat(session.kernel().sourcePackage()).isEqualTo(kernel.path("sourcePackage").asText());
        assertThat(session.kernel().sourceVersion()).isEqualTo(kernel.path("sourceVersion").asText());
        assertThat(session.kernel().sourceHashes()).hasSize(kernel.path("sourceHashes").asInt());
        assertThat(session.kernel().config()).contains("CONFIG_KCOV=y", "CONFIG_KCOV_ENABLE_COMPARISONS=y");
        assertThat(session.index().pointCount()).isEqualTo(kernel.path("indexPoints").asInt());
        assertThat(session.layout().fileCount()).isEqualTo(kernel.path("indexFiles").asInt());
        for (Iterator<Map.Entry<String, JsonNode>> it = kernel.path("sourceSha256").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> source = it.next();
            assertThat(session.kernel().sourceHashes().get(source.getKey())).as(source.getKey())
                    .isEqualTo(source.getValue().asText());
        }
        assertThat(session.kernel().sourceManifest()).isPresent();
    }

    @Test
    void everyRunMatches() {
        JsonNode runs = manifest.path("runs");
        assertThat(session.runs()).extracting(SessionRun::label)
                .containsExactlyElementsOf(labels(runs));
        for (JsonNode expected : runs) {
            SessionRun run = session.run(expected.path("label").asText()).orElseThrow();
            assertThat(run.mode()).as(run.label()).isEqualTo(expected.path("mode").asText());
            assertThat(run.remoteSource()).as(run.label()).isEqualTo(expected.path("remoteSource").textValue());
            assertThat(run.uniquePcCount()).as(run.label()).isEqualTo(expected.path("uniquePcs").asInt());
            assertFigures(run.label(), session.coverage(run), expected);
        }
    }

    /** Every run series of the session has its curve in drivers/usb/core in the manifest, as the model draws it. */
    @Test
    void everySeriesCurveIsTheManifests() {
        JsonNode curves = manifest.path("seriesInUsbCore");
        List<String> names = new java.util.ArrayList<>();
        curves.fieldNames().forEachRemaining(names::add);
        assertThat(session.series()).extracting(RunSeries::name).containsExactlyInAnyOrderElementsOf(names);
        CoverageScope usbCore = CoverageScope.path(session.layout(), "drivers/usb/core");
        for (RunSeries series : session.series()) {
            SeriesCurve curve = SeriesCurve.of(session.layout(), series, usbCore);
            JsonNode expected = curves.path(series.name());
            assertThat(expected.size()).as(series.name()).isEqualTo(curve.size());
            for (int i = 0; i < curve.size(); i++) {
                assertThat(curve.seconds()[i]).as(series.name() + " t").isEqualTo(expected.get(i).path("t").asDouble());
                assertThat(curve.points()[i]).as(series.name() + " points").isEqualTo(expected.get(i).path("points").asInt());
                assertThat(curve.lines()[i]).as(series.name() + " lines").isEqualTo(expected.get(i).path("lines").asInt());
            }
        }
    }

    @Test
    void theUnionReachesTheDemoGoals() {
        Coverage union = session.coverage(session.latestRuns());
        JsonNode expected = manifest.path("union");
        assertFigures("union", union, expected);
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.path("partialLines").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> file = it.next();
            assertThat(lines(union, file.getKey(), LineState.PARTIAL)).as("partial lines of " + file.getKey())
                    .isEqualTo(file.getValue().asInt());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = manifest.path("goals").path("coveredLines").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> goal = it.next();
            assertThat(lines(union, goal.getKey(), LineState.COVERED)).as("covered lines of " + goal.getKey())
                    .isGreaterThanOrEqualTo(goal.getValue().asInt());
        }
    }

    /** Covered points summed over files (a point counts in every file of its inline chain, as in the report). */
    private static void assertFigures(String what, Coverage coverage, JsonNode expected) {
        CoverageLayout layout = coverage.layout();
        long points = 0;
        for (int file = 0; file < layout.fileCount(); file++) {
            points += coverage.file(file).coveredPoints();
        }
        assertThat(points).as("covered points of " + what).isEqualTo(expected.path("coveredPoints").asLong());
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.path("coveredLines").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> file = it.next();
            assertThat(lines(coverage, file.getKey(), LineState.COVERED))
                    .as("covered lines of " + file.getKey() + " in " + what).isEqualTo(file.getValue().asInt());
        }
    }

    private static int lines(Coverage coverage, String path, LineState state) {
        int file = coverage.layout().findFile(path);
        return file < 0 ? 0 : coverage.lineNumbers(file, state).length;
    }

    private static List<String> labels(JsonNode runs) {
        return java.util.stream.StreamSupport.stream(runs.spliterator(), false)
                .map(run -> run.path("label").asText()).toList();
    }

    private static Path demoDirectory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path demo = dir.resolve("sample-data/demo");
            if (Files.isRegularFile(demo.resolve("MANIFEST.json"))) {
                return demo;
            }
        }
        throw new IllegalStateException("sample-data/demo/MANIFEST.json not found above " + Path.of("").toAbsolutePath());
    }
}
