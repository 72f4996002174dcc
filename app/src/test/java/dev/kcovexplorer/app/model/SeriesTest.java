package dev.kcovexplorer.app.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kcovexplorer.app.model.campaign.Campaign;
import dev.kcovexplorer.app.model.campaign.CampaignFormatException;
import dev.kcovexplorer.app.model.fixture.CampaignFixture;
import dev.kcovexplorer.app.model.fixture.ChainOracle;
import dev.kcovexplorer.app.model.modules.SessionModules;
import dev.kcovexplorer.app.model.session.SessionFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run series on the demo kernel's real coverage: a campaign directory and a directory of rawcover files open as
 * series ordered by time, their curves count what the kernel index's inline chains say (an oracle that does not
 * use the layout's tables), series survive a session file, and broken directories say what is wrong where.
 */
class SeriesTest {
    private static final String USB_CORE = "drivers/usb/core";
    private static final String HUB = "drivers/usb/core/hub.c";

    @TempDir
    static Path dir;
    static CampaignFixture fixture;
    static List<long[]> snapshots;
    static Path campaign;

    @BeforeAll
    static void writeCampaign() throws Exception {
        fixture = CampaignFixture.demo();
        snapshots = fixture.cumulative(6, 42);
        campaign = CampaignFixture.writeCampaign(dir.resolve("guided-run"), "guided", snapshots, 30);
    }

    /** Other classes run next in this test JVM: left in a static field, the demo session stayed on its heap. */
    @AfterAll
    static void letGoOfTheDemo() {
        fixture = null;
        snapshots = null;
    }

    private static Session freshSession() {
        return Session.create(fixture.demo.index(), fixture.demo.layout().paths(), KernelInfo.UNKNOWN, null);
    }

    @Test
    void aCampaignDirectoryIsOneSeriesOfItsSnapshotsByTime() throws Exception {
        Session session = freshSession();
        Campaign read = Campaign.read(campaign);
        assertThat(read.name()).isEqualTo("guided");
        assertThat(read.facts()).containsEntry("fuzzer", "test fixture").containsEntry("seed", "7");
        read.addTo(session, null, i -> { });

        assertThat(session.series()).hasSize(1);
        RunSeries series = session.series().get(0);
        assertThat(series.name()).isEqualTo("guided");
        assertThat(series.size()).isEqualTo(6);
        for (int i = 0; i < 6; i++) {
            assertThat(series.seconds(i)).isEqualTo(30.0 * (i + 1));
            assertThat(series.snapshot(i).label()).isEqualTo("guided@" + 30 * (i + 1) + "s");
            assertThat(series.snapshot(i).uniquePcs()).isEqualTo(snapshots.get(i));
            assertThat(series.snapshot(i).remoteSource()).isEqualTo("USB bus 1");
            assertThat(series.snapshot(i).colour()).isEqualTo(series.colour());
        }
        assertThat(session.latestRuns()).containsExactly(series.latest());
        // In expressions the series' name is its latest snapshot, NAME@Ts any one.
        assertThat(session.coverage("guided").points()).isEqualTo(series.latest().points());
        assertThat(session.coverage("'guided@60s' - 'guided@30s'").points())
                .isEqualTo(series.snapshot(1).points().minus(series.snapshot(0).points()));
    }

    @Test
    void curvesCountThePointsAndLinesTheInlineChainsName() throws Exception {
        Session session = freshSession();
        Campaign.read(campaign).addTo(session, null, i -> { });
        RunSeries series = session.series().get(0);
        CoverageLayout layout = session.layout();
        int hubEvent = layout.findFunction("hub_event", HUB);
        assertThat(hubEvent).as("hub_event in the demo kernel").isNotNegative();

        checkCurve(session, series, CoverageScope.kernel(), file -> true, null);
        checkCurve(session, series, CoverageScope.path(layout, USB_CORE + "/"), file -> file.startsWith(USB_CORE + "/"),
                null);
        checkCurve(session, series, CoverageScope.path(layout, HUB), file -> file.equals(HUB), null);
        checkCurve(session, series, CoverageScope.function(layout, hubEvent), file -> file.equals(HUB), "hub_event");

        // The whole kernel's curve is what a report of each snapshot alone says.
        SeriesCurve kernel = SeriesCurve.of(layout, series, CoverageScope.kernel());
        for (int i = 0; i < series.size(); i++) {
            Aggregate total = session.coverage(series.snapshot(i)).total();
            assertThat(kernel.points()[i]).isEqualTo(total.coveredPoints());
            assertThat(kernel.lines()[i]).isEqualTo(total.coveredLines());
        }
        assertThat(kernel.lines()).as("a cumulative campaign only grows").isSorted();
        assertThat(kernel.lines()[5]).isGreaterThan(kernel.lines()[0]);
    }

    /** The oracle: a point counts when a frame of its chain is in a file of the scope (and function); lines likewise. */
    private static void checkCurve(Session session, RunSeries series, CoverageScope scope,
                                   java.util.function.Predicate<String> inFile, String function) {
        SeriesCurve curve = SeriesCurve.of(session.layout(), series, scope);
        ChainOracle oracle = new ChainOracle(session);
        for (int s = 0; s < series.size(); s++) {
            PointCoverage hit = series.snapshot(s).points();
            assertThat(curve.points()[s]).as(scope.description() + " points at snapshot " + s)
                    .isEqualTo(oracle.points(hit, inFile, function));
            assertThat(curve.lines()[s]).as(scope.description() + " lines at snapshot " + s)
                    .isEqualTo(oracle.lines(hit, inFile, function).size());
        }
        assertThat(curve.points()[series.size() - 1]).as(scope.description() + " reached").isPositive();
    }

    @Test
    void rawcoverFilesOrderedByTheUnixTimesInTheirNamesGiveTheSameCoverage() throws Exception {
        Path rawcover = CampaignFixture.writeRawcoverDirectory(dir.resolve("syz-manager"), snapshots, 1_700_000_000L, 600);
        Session session = freshSession();
        Campaign read = Campaign.read(rawcover);
        assertThat(read.name()).isEqualTo("syz-manager");
        assertThat(read.snapshots()).extracting(Campaign.Snapshot::seconds)
                .as("Unix times count from the first file").containsExactly(0.0, 600.0, 1200.0, 1800.0, 2400.0, 3000.0);
        read.addTo(session, "syz", i -> { });
        Campaign.read(campaign).addTo(session, null, i -> { });
        RunSeries syz = session.series("syz").orElseThrow();
        RunSeries guided = session.series("guided").orElseThrow();
        for (int i = 0; i < 6; i++) {
            assertThat(syz.snapshot(i).figures().reading()).isEqualTo(dev.kcovexplorer.kcov.PcKind.CALL_SITE);
            assertThat(syz.snapshot(i).points()).as("snapshot " + i)
                    .isEqualTo(guided.snapshot(i).points());
        }
    }

    @Test
    void seriesSurviveASessionFile() throws Exception {
        Session session = freshSession();
        Campaign.read(campaign).addTo(session, "blind", i -> { });
        Path file = dir.resolve("series.kcovx");
        SessionFile.write(session, file);
        Session read = SessionFile.read(file);
        RunSeries before = session.series().get(0);
        RunSeries after = read.series().get(0);
        assertThat(after.name()).isEqualTo("blind");
        assertThat(after.colour()).isEqualTo(before.colour());
        for (int i = 0; i < before.size(); i++) {
            assertThat(after.seconds(i)).isEqualTo(before.seconds(i));
            assertThat(after.snapshot(i).points()).isEqualTo(before.snapshot(i).points());
        }
        assertThat(SessionFile.latestSnapshots(file)).containsEntry("blind", "blind@180s");
    }

    /**
     * A campaign cut short carries its cut into the session, on every snapshot, through a rename and a session file:
     * the session's series say so as its directory did. A session written before cuts were kept (the demo's) reads
     * with none.
     */
    @Test
    void aCampaignsCutSurvivesARenameAndASessionFile() throws Exception {
        Session session = freshSession();
        Campaign.read(cutCampaign("cut-run")).addTo(session, null, i -> { });
        Campaign.read(campaign).addTo(session, null, i -> { });
        assertThat(session.series("cut").orElseThrow().cut()).isEqualTo(CUT);
        session.renameSeries("cut", "cut_v2");
        Path file = dir.resolve("cut.kcovx");
        SessionFile.write(session, file);
        Session read = SessionFile.read(file);

        assertThat(read.series("cut_v2").orElseThrow().snapshots()).hasSize(6)
                .allSatisfy(snapshot -> assertThat(snapshot.seriesCut()).isEqualTo(CUT));
        assertThat(read.series("guided").orElseThrow().cut()).isNull();
        assertThat(read.runs()).filteredOn(run -> run.seriesPoint() == null).isEmpty();
        assertThat(fixture.demo.series()).as("the demo session, written before cuts were kept").hasSize(2)
                .allSatisfy(series -> assertThat(series.cut()).isNull());
    }

    /**
     * A session made again over more modules (a modular kernel's run added to it) keeps its series as they were, cut
     * included: before, their snapshots came back as plain runs and the series were gone.
     */
    @Test
    void aSessionOverMoreModulesKeepsItsSeries() throws Exception {
        Session session = freshSession();
        Campaign.read(cutCampaign("cut-modules")).addTo(session, null, i -> { });
        Campaign.read(campaign).addTo(session, null, i -> { });
        Session rebuilt = session.withModules(new SessionModules(List.of()));
        assertThat(rebuilt).isNotSameAs(session);
        assertThat(rebuilt.series()).extracting(RunSeries::name).containsExactly("cut", "guided");
        for (RunSeries before : session.series()) {
            RunSeries after = rebuilt.series(before.name()).orElseThrow();
            assertThat(after.cut()).isEqualTo(before.cut());
            assertThat(after.colour()).isEqualTo(before.colour());
            for (int i = 0; i < before.size(); i++) {
                assertThat(after.snapshot(i).label()).isEqualTo(before.snapshot(i).label());
                assertThat(after.snapshot(i).points()).isEqualTo(before.snapshot(i).points());
            }
        }
        assertThat(rebuilt.series("cut").orElseThrow().cut()).isEqualTo(CUT);
    }

    /**
     * The diff's note names each series as it is and gives the cut's text as the campaign said it: the second side's
     * "ends" was dropped by replacing every " ends at " in its part, name and cut included.
     */
    @Test
    void theDiffNoteSaysEachNameAndCutAsTheyAre() throws Exception {
        Session session = freshSession();
        Campaign.read(campaign).addTo(session, "guided ends at dusk", i -> { });
        Campaign.read(cutCampaign("cut-note")).addTo(session, "blind ends at dawn", i -> { });
        assertThat(SeriesEnds.note(session, "guided ends at dusk", "blind ends at dawn"))
                .isEqualTo("guided ends at dusk ends at 180 s, blind ends at dawn at 180 s (" + CUT.text()
                        + "): the diff compares their latest snapshots");
    }

    /**
     * A cut's text gives the time the cut keeps, as the legend and the JSON give it: the text was built from the
     * manifest's "cutShortAt" as written, so a fuzzer's 181.0 printed "cut short at 181.0 s" beside the legend's
     * "181 s", and a cut without its time "cut short at ? s" though the series kept its last snapshot's.
     */
    @Test
    void aCutsTextSaysTheTimeItKeeps() throws Exception {
        Path cut = CampaignFixture.writeCampaign(dir.resolve("cut-untimed"), "cut", snapshots, 30);
        Path manifest = cut.resolve(Campaign.MANIFEST);
        String written = Files.readString(manifest);
        Files.writeString(manifest, written.replace("\"seed\": 7,", "\"seed\": 7, \"cutShort\": \"the kernel oopsed\","));
        SeriesCut untimed = Campaign.read(cut).cut();
        assertThat(untimed.at()).isEqualTo(180);
        assertThat(untimed.text()).isEqualTo("cut short at 180 s: the kernel oopsed");

        Files.writeString(manifest, written.replace("\"seed\": 7,",
                "\"seed\": 7, \"cutShort\": \"the kernel oopsed\", \"cutShortAt\": 181.0,"));
        assertThat(Campaign.read(cut).cut().text()).isEqualTo("cut short at 181 s: the kernel oopsed");
    }

    private static final SeriesCut CUT = new SeriesCut(171.5,
            "the bus answered no request in 6 connections in a row");

    /** The test campaign's snapshots as a campaign named "cut" in {@code folder}, cut short as {@link #CUT} says. */
    private static Path cutCampaign(String folder) throws Exception {
        return CampaignFixture.cutShort(CampaignFixture.writeCampaign(dir.resolve(folder), "cut", snapshots, 30),
                CUT.reason(), CUT.at());
    }

    @Test
    void renamingOrRemovingASeriesTakesAllItsSnapshots() throws Exception {
        Session session = freshSession();
        Campaign.read(campaign).addTo(session, null, i -> { });
        session.renameSeries("guided", "guided_v2");
        assertThat(session.series()).extracting(RunSeries::name).containsExactly("guided_v2");
        assertThat(session.run("guided_v2@180s")).isPresent();
        assertThatThrownBy(() -> session.renameRun("guided_v2@30s", "x"))
                .hasMessageContaining("rename the series instead");
        session.removeSeries("guided_v2");
        assertThat(session.runs()).isEmpty();
    }

    @Test
    void brokenCampaignsNameTheFileAndWhatWasExpected() throws Exception {
        Path bad = Files.createDirectories(dir.resolve("bad"));
        Path manifest = bad.resolve("campaign.json");
        Files.writeString(manifest, "{\"snapshots\": [ {\"t\": 10, \"file\": \"a.kcov\"} ");
        assertThatThrownBy(() -> Campaign.read(bad)).isInstanceOf(CampaignFormatException.class)
                .hasMessageStartingWith(manifest + ": not JSON at line 1");
        Files.writeString(manifest, "{\"snapshots\": []}");
        assertThatThrownBy(() -> Campaign.read(bad)).hasMessage(manifest
                + ": expected \"snapshots\": a non-empty array of {\"t\":SECONDS, \"file\":NAME}");
        Files.writeString(bad.resolve("a.kcov"), "0xffffffff81000000\n");
        Files.writeString(manifest, "{\"snapshots\": [{\"t\": 20, \"file\": \"a.kcov\"}, {\"t\": 10, \"file\": \"a.kcov\"}]}");
        assertThatThrownBy(() -> Campaign.read(bad)).hasMessage(manifest
                + ": snapshots[1].t: 10.0 s does not come after the previous snapshot's 20.0 s");
        Files.writeString(manifest, "{\"snapshots\": [{\"t\": 20, \"file\": \"missing.kcov\"}]}");
        assertThatThrownBy(() -> Campaign.read(bad)).hasMessage(manifest + ": snapshots[0].file: "
                + bad.resolve("missing.kcov") + " does not exist");
        Files.writeString(manifest, "{\"snapshots\": [{\"t\": \"soon\", \"file\": \"a.kcov\"}]}");
        assertThatThrownBy(() -> Campaign.read(bad)).hasMessage(manifest
                + ": snapshots[0].t: expected seconds >= 0, found \"soon\"");
        Files.writeString(manifest, "{\"snapshots\": [{\"t\": 1, \"file\": \"../a.kcov\"}]}");
        assertThatThrownBy(() -> Campaign.read(bad)).hasMessageContaining("snapshots[0].file: expected the name of a dump");

        Path same = Files.createDirectories(dir.resolve("same-times"));
        Files.writeString(same.resolve("cover-1"), "0x1\n");
        Files.writeString(same.resolve("copy-of-cover-1"), "0x1\n");
        Files.setLastModifiedTime(same.resolve("cover-1"), java.nio.file.attribute.FileTime.fromMillis(1000));
        Files.setLastModifiedTime(same.resolve("copy-of-cover-1"), java.nio.file.attribute.FileTime.fromMillis(1000));
        assertThatThrownBy(() -> Campaign.read(same)).isInstanceOf(CampaignFormatException.class)
                .hasMessageContaining("have the same time (0.0 s)");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> Campaign.read(empty)).hasMessage(empty + ": holds no campaign.json and no coverage files");
    }
}
