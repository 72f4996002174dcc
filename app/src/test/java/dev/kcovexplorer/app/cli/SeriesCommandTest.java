package dev.kcovexplorer.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kcovexplorer.app.model.CoverageScope;
import dev.kcovexplorer.app.model.KernelInfo;
import dev.kcovexplorer.app.model.RunDiff;
import dev.kcovexplorer.app.model.RunSeries;
import dev.kcovexplorer.app.model.SeriesCurve;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.campaign.Campaign;
import dev.kcovexplorer.app.model.fixture.CampaignFixture;
import dev.kcovexplorer.app.model.session.SessionFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code series info}, {@code report} and {@code diff} with run series, on campaigns cut from the demo kernel's
 * real coverage: the JSON lines are the issue's, their figures the model's curves, and a series stands for its
 * latest snapshot in reports and diffs.
 */
class SeriesCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static CampaignFixture fixture;
    static Path guided;
    static Path blind;
    static Session expected;

    @BeforeAll
    static void campaigns() throws Exception {
        fixture = CampaignFixture.demo();
        guided = CampaignFixture.writeCampaign(dir.resolve("guided"), "guided", fixture.cumulative(5, 1), 60);
        // blind's latest snapshot holds three fifths of the PCs: the diff of the two series has something to say.
        blind = CampaignFixture.writeCampaign(dir.resolve("blind"), "blind", fixture.cumulative(5, 2).subList(0, 3), 60);
        expected = Session.create(fixture.demo.index(), fixture.demo.layout().paths(), KernelInfo.UNKNOWN, null);
        Campaign.read(blind).addTo(expected, null, i -> { });
        Campaign.read(guided).addTo(expected, null, i -> { });
    }

    /** Other classes run next in this test JVM: left in a static field, the demo session stayed on its heap. */
    @AfterAll
    static void letGoOfTheDemo() {
        fixture = null;
        expected = null;
    }

    @Test
    void seriesInfoPrintsOneJsonObjectPerSnapshotCountingOnlyThePath() throws Exception {
        CliRunner.Result result = CliRunner.run("series", "info", "--session", CampaignFixture.DEMO.toString(),
                blind.toString(), guided.toString(), "--path", "drivers/usb/core", "--format", "json");
        assertThat(result.status()).as(result.err()).isZero();
        Iterator<String> lines = result.out().lines().iterator();
        // The session's own series (the demo's fuzzing campaigns) come first, then the directories given.
        for (RunSeries series : fixture.demo.series()) {
            assertCurve(lines, series, SeriesCurve.of(fixture.demo.layout(), series,
                    CoverageScope.path(fixture.demo.layout(), "drivers/usb/core")));
        }
        CoverageScope scope = CoverageScope.path(expected.layout(), "drivers/usb/core");
        for (RunSeries series : expected.series()) {
            SeriesCurve curve = SeriesCurve.of(expected.layout(), series, scope);
            for (int i = 0; i < curve.size(); i++) {
                assertThat(curve.seconds()[i]).isEqualTo(60.0 * (i + 1)); // a snapshot a minute, as written
            }
            assertCurve(lines, series, curve);
        }
        assertThat(lines.hasNext()).isFalse();

        CliRunner.Result text = CliRunner.run("series", "info", "--session", CampaignFixture.DEMO.toString(),
                "renamed=" + guided);
        assertThat(text.status()).as(text.err()).isZero();
        SeriesCurve kernel = SeriesCurve.of(expected.layout(), expected.series("guided").orElseThrow(),
                CoverageScope.kernel());
        String renamed = text.out().substring(Math.max(0, text.out().indexOf("series renamed:")));
        assertThat(renamed).startsWith("series renamed: 5 snapshots, whole kernel\n")
                .contains(String.format("%10s %10d %10d%n", "300", kernel.points()[4], kernel.lines()[4]));
    }

    @Test
    void aSeriesLabelIsAnyTextBeforeTheEqualsSignAsARunsIs() throws Exception {
        CliRunner.Result result = CliRunner.run("series", "info", "--session", CampaignFixture.DEMO.toString(),
                "syz-guided 2=" + guided);

        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).contains("series syz-guided 2: 5 snapshots, whole kernel\n");
    }

    /** A campaign whose manifest says it was cut short says so under its series' line; the others say nothing. */
    @Test
    void aCampaignCutShortSaysSoUnderItsSeries() throws Exception {
        Path cut = cutCampaign("cut", "the kernel oopsed (dmesg: divide error: 0000 [#1] SMP)", 181.0);

        CliRunner.Result result = CliRunner.run("series", "info", "--session", CampaignFixture.DEMO.toString(),
                "--path", "drivers/usb/core", cut.toString(), blind.toString());

        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).contains("series cut: 3 snapshots, drivers/usb/core\n"
                + "  cut short at 181 s: the kernel oopsed (dmesg: divide error: 0000 [#1] SMP)\n"
                + String.format("%10s %10s %10s%n", "seconds", "points", "lines"));
        assertThat(result.out()).contains("series blind: 3 snapshots, drivers/usb/core\n"
                + String.format("%10s %10s %10s%n", "seconds", "points", "lines"));
        assertThat(result.out()).containsOnlyOnce("cut short");
    }

    /**
     * In json a cut campaign's snapshot objects stay as they are and one more object after them says where and why it
     * was cut; a finished campaign's lines are its snapshots alone.
     */
    @Test
    void aCampaignCutShortSaysSoInJsonAfterItsSnapshots() throws Exception {
        Path cut = cutCampaign("cut-json", "the bus stopped answering", 182.5);

        CliRunner.Result result = CliRunner.run("series", "info", "--session", CampaignFixture.DEMO.toString(),
                "--format", "json", cut.toString(), blind.toString());

        assertThat(result.status()).as(result.err()).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : result.out().lines().toList()) {
            lines.add(JSON.readTree(line));
        }
        // The session's own series come first: the directories' lines follow them.
        while (!lines.get(0).get("series").asText().equals("cut")) {
            lines.remove(0);
        }
        assertThat(lines).hasSize(3 + 1 + 3);
        for (int i = 0; i < 3; i++) {
            assertThat(lines.get(i).get("series").asText()).isEqualTo("cut");
            assertThat(lines.get(i).get("t").asInt()).isEqualTo(60 * (i + 1));
        }
        JsonNode summary = lines.get(3);
        List<String> fields = new ArrayList<>();
        summary.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("series", "cutShortAt", "cutShort");
        assertThat(summary.get("series").asText()).isEqualTo("cut");
        assertThat(summary.get("cutShortAt").asDouble()).isEqualTo(182.5);
        assertThat(summary.get("cutShort").asText()).isEqualTo("cut short at 182.5 s: the bus stopped answering");
        for (JsonNode line : lines.subList(4, 7)) {
            assertThat(line.get("series").asText()).isEqualTo("blind");
            assertThat(line.has("t")).isTrue();
        }
    }

    /**
     * A campaign killed mid-run, or still running (its manifest has its snapshots but not the figures written at the
     * end, and no cut), is shown as not finished at its last snapshot, not as a shorter finished campaign, and the
     * text names both cases, since the manifest cannot tell them apart.
     */
    @Test
    void aCampaignWithoutItsEndFiguresIsShownNotFinished() throws Exception {
        Path killed = CampaignFixture.writeCampaign(dir.resolve("killed"), "killed", fixture.cumulative(3, 3), 60);
        Path manifest = killed.resolve("campaign.json");
        String full = Files.readString(manifest);
        Files.writeString(manifest, full.substring(0, full.indexOf("],") + 1) + "\n}\n");

        CliRunner.Result result = CliRunner.run("series", "info", "--session", CampaignFixture.DEMO.toString(),
                killed.toString(), blind.toString());
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).contains("series killed: 3 snapshots, whole kernel\n"
                + "  cut short at 180 s: not finished (campaign.json has no end figures yet: the campaign is still"
                + " running, or was killed or its machine stopped)\n");
        assertThat(result.out()).containsOnlyOnce("cut short");

        CliRunner.Result json = CliRunner.run("series", "info", "--session", CampaignFixture.DEMO.toString(),
                "--format", "json", killed.toString());
        assertThat(json.out().lines().toList()).last().satisfies(line -> assertThat(JSON.readTree(line)
                .get("cutShortAt").asInt()).isEqualTo(180));
    }

    /**
     * A diff of two series compares their latest snapshots: when those come at different times, or one series was cut
     * short, the diff says so, since the shorter one's losses are then its end's and not its fuzzer's.
     */
    @Test
    void aDiffOfSeriesOfUnequalLengthSaysWhereEachEnds() throws Exception {
        Path cut = cutCampaign("cut-diff", "the kernel oopsed", 182.0);

        CliRunner.Result result = diffOfTheDemo(cut.toString(), guided.toString());
        assertThat(result.err()).contains("note: cut ends at 180 s (cut short at 182 s: the kernel oopsed), guided"
                + " at 300 s: the diff compares their latest snapshots\n");

        CliRunner.Result shorter = diffOfTheDemo(blind.toString(), guided.toString());
        assertThat(shorter.err()).contains("note: blind ends at 180 s, guided at 300 s: the diff compares their latest"
                + " snapshots\n");
        assertThat(shorter.out()).doesNotContain("note:");
    }

    /**
     * The diff's note prints the cut's reason as series info does, control characters escaped: it comes from a
     * campaign.json, and an escape sequence in it reached the terminal as it was.
     */
    @Test
    void aDiffNoteEscapesWhatTheCampaignSays() throws Exception {
        Path cut = cutCampaign("cut-escape", "oops \\u001b]0;owned\\u0007", 182.0);

        CliRunner.Result result = diffOfTheDemo(cut.toString(), guided.toString());
        assertThat(result.err()).contains("note: cut ends at 180 s (cut short at 182 s: oops \\e]0;owned\\u0007),"
                + " guided at 300 s: the diff compares their latest snapshots\n").doesNotContain("\u001b");
    }

    /**
     * A campaign's cut is kept in the session made from it: {@code series info --session} alone says so (text and
     * json, as for its directory), and a diff of the session's series by name says where each ends. Before, a
     * session's series never said it, and only the directory form of diff gave the note.
     */
    @Test
    void aSessionKeepsACampaignsCutForSeriesInfoAndDiff() throws Exception {
        Path cut = cutCampaign("cut-session", "the kernel oopsed (tainted D, see dmesg)", 181.5);
        Session session = SessionFile.read(CampaignFixture.DEMO);
        Campaign.read(cut).addTo(session, null, i -> { });
        Campaign.read(guided).addTo(session, null, i -> { });
        Path file = dir.resolve("cut-session.kcovx");
        SessionFile.write(session, file);

        CliRunner.Result text = CliRunner.run("series", "info", "--session", file.toString(), "--path",
                "drivers/usb/core");
        assertThat(text.status()).as(text.err()).isZero();
        assertThat(text.out()).contains("series cut: 3 snapshots, drivers/usb/core\n"
                + "  cut short at 181.5 s: the kernel oopsed (tainted D, see dmesg)\n"
                + String.format("%10s %10s %10s%n", "seconds", "points", "lines"));
        assertThat(text.out()).containsOnlyOnce("cut short");

        CliRunner.Result json = CliRunner.run("series", "info", "--session", file.toString(), "--format", "json");
        assertThat(json.status()).as(json.err()).isZero();
        List<JsonNode> cuts = new ArrayList<>();
        for (String line : json.out().lines().toList()) {
            JsonNode node = JSON.readTree(line);
            if (node.has("cutShort")) {
                cuts.add(node);
            }
        }
        assertThat(cuts).hasSize(1);
        assertThat(cuts.get(0).get("series").asText()).isEqualTo("cut");
        assertThat(cuts.get(0).get("cutShortAt").asDouble()).isEqualTo(181.5);
        assertThat(cuts.get(0).get("cutShort").asText())
                .isEqualTo("cut short at 181.5 s: the kernel oopsed (tainted D, see dmesg)");

        CliRunner.Result diff = CliRunner.run("diff", "--session", file.toString(), "cut", "guided");
        assertThat(diff.status()).as(diff.err()).isZero();
        assertThat(diff.err()).contains("note: cut ends at 180 s (cut short at 181.5 s: the kernel oopsed (tainted D,"
                + " see dmesg)), guided at 300 s: the diff compares their latest snapshots\n");
        CliRunner.Result equal = CliRunner.run("diff", "--session", file.toString(), "guided", "guided@240s");
        assertThat(equal.err()).as("a snapshot is no series: no end to tell").doesNotContain("note:");
    }

    /** {@code diff --session} of the demo session with {@code args}; asserts it succeeded, its stderr as the reason. */
    private static CliRunner.Result diffOfTheDemo(String... args) {
        String[] command = new String[args.length + 3];
        command[0] = "diff";
        command[1] = "--session";
        command[2] = CampaignFixture.DEMO.toString();
        System.arraycopy(args, 0, command, 3, args.length);
        CliRunner.Result result = CliRunner.run(command);
        assertThat(result.status()).as(result.err()).isZero();
        return result;
    }

    /** The next JSON lines are {@code series}' curve, one object per snapshot. */
    private static void assertCurve(Iterator<String> lines, RunSeries series, SeriesCurve curve) throws Exception {
        for (int i = 0; i < curve.size(); i++) {
            JsonNode line = JSON.readTree(lines.next());
            List<String> fields = new ArrayList<>();
            line.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactly("series", "t", "points", "lines");
            assertThat(line.get("series").asText()).isEqualTo(series.name());
            assertThat(line.get("t").isIntegralNumber()).isTrue();
            assertThat(line.get("t").asDouble()).isEqualTo(curve.seconds()[i]);
            assertThat(line.get("points").asInt()).isEqualTo(curve.points()[i]);
            assertThat(line.get("lines").asInt()).isEqualTo(curve.lines()[i]);
        }
    }

    @Test
    void diffOfTwoSeriesComparesTheirLatestSnapshotsAndReportCountsTheLatestOnly() throws Exception {
        CliRunner.Result result = diffOfTheDemo(blind.toString(), guided.toString());
        RunDiff diff = expected.diff(expected.coverage(expected.series("blind").orElseThrow().latest()),
                expected.coverage(expected.series("guided").orElseThrow().latest()));
        assertThat(diff.gainedPoints()).isPositive();
        assertThat(result.out()).contains("B gained " + diff.gainedPoints() + " points and lost " + diff.lostPoints());

        CliRunner.Result named = diffOfTheDemo("--series", blind.toString(), "--series", guided.toString(),
                "blind@60s", "guided");
        RunDiff snapshots = expected.diff(expected.coverage(expected.run("blind@60s").orElseThrow()),
                expected.coverage(expected.series("guided").orElseThrow().latest()));
        assertThat(named.out()).contains("B gained " + snapshots.gainedPoints() + " points and lost "
                + snapshots.lostPoints());

        CliRunner.Result report = CliRunner.run("report", "--vmlinux", "/nonexistent-vmlinux", "--series",
                guided.toString());
        assertThat(report.status()).isEqualTo(1);
        assertThat(report.err()).contains("/nonexistent-vmlinux");

        CliRunner.Result json = CliRunner.run("report", "--session", CampaignFixture.DEMO.toString(), "--series",
                guided.toString(), "--expr", "guided", "--format", "json");
        assertThat(json.status()).as(json.err()).isZero();
        JsonNode runs = JSON.readTree(json.out()).get("attribution").get("runs");
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).get("label").asText()).isEqualTo("guided@300s");
    }

    /** A three-snapshot campaign named "cut" in {@code folder} whose manifest says it was cut short. */
    private Path cutCampaign(String folder, String reason, double at) throws IOException {
        return CampaignFixture.cutShort(
                CampaignFixture.writeCampaign(dir.resolve(folder), "cut", fixture.cumulative(3, 3), 60), reason, at);
    }
}
