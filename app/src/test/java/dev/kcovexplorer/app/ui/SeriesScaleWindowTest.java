package dev.kcovexplorer.app.ui;

import static dev.kcovexplorer.app.ui.ShownStages.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.model.KernelInfo;
import dev.kcovexplorer.app.model.RunSeries;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.campaign.Campaign;
import dev.kcovexplorer.app.model.fixture.CampaignFixture;
import dev.kcovexplorer.app.model.source.KernelSources;
import dev.kcovexplorer.app.ui.tree.ProjectNode;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A campaign at the scale on the demo kernel's index: 100 snapshots of 10,000 unique PCs each (return
 * addresses of its coverage points, a window sliding over 20,000 of them). Prints how long the series takes to
 * load (read and resolve every snapshot) and the FX thread's worst stall while the chart is redrawn for a file
 * selected in the tree; the figures are printed, not judged (benchmarks judge them).
 */
class SeriesScaleWindowTest {
    private static final int SNAPSHOTS = 100;
    private static final int PCS = 10_000;

    @TempDir
    Path dir;
    private WindowHarness window;

    @AfterEach
    void close() throws Exception {
        if (window != null) {
            window.close();
        }
    }

    @Test
    void aHundredSnapshotsOfTenThousandPcsLoadAndRedrawTheChart() throws Exception {
        CampaignFixture fixture = CampaignFixture.demo();
        KernelIndex index = fixture.demo.index();
        SplittableRandom random = new SplittableRandom(14);
        long[] pool = new long[2 * PCS];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = index.pointAddress(random.nextInt(index.pointCount())) + 5;
        }
        pool = Arrays.stream(pool).distinct().toArray();
        List<long[]> snapshots = new ArrayList<>();
        int step = (pool.length - PCS) / SNAPSHOTS;
        for (int s = 0; s < SNAPSHOTS; s++) {
            long[] pcs = Arrays.copyOfRange(pool, s * step, s * step + PCS);
            Arrays.sort(pcs);
            snapshots.add(pcs);
        }
        Path campaign = CampaignFixture.writeCampaign(dir.resolve("scale"), "scale", snapshots, 10);

        long[] loads = new long[2];
        Session session = null;
        for (int round = 0; round < loads.length; round++) {
            session = Session.create(index, fixture.demo.layout().paths(), KernelInfo.UNKNOWN, null);
            long start = System.nanoTime();
            Campaign.read(campaign).addTo(session, null, i -> { });
            loads[round] = (System.nanoTime() - start) / 1_000_000;
        }
        RunSeries series = session.series().get(0);
        assertThat(series.size()).isEqualTo(SNAPSHOTS);
        assertThat(series.latest().uniquePcCount()).isEqualTo(PCS);

        window = WindowHarness.open(dir.resolve("config"), 1400, 900);
        Session shown = session;
        window.show(shown, KernelSources.NONE, "scale");
        // The files the latest snapshot reaches most: the chart redraws for each as it is selected.
        List<String> files = onFx(() -> window.model.project().allFiles());
        List<ProjectNode> reached = new ArrayList<>();
        collectFiles(onFx(() -> window.model.project().rootProperty().get()), reached);
        reached.sort((a, b) -> Integer.compare(b.coveredPoints(), a.coveredPoints()));
        assertThat(files).isNotEmpty();
        long worstWall = 0;
        long worstCpu = 0;
        for (ProjectNode file : reached.subList(0, Math.min(5, reached.size()))) {
            PulseWatch watch = onFx(PulseWatch::begin);
            onFx(() -> {
                window.model.project().select(file);
                return null;
            });
            window.awaitIdle();
            assertThat(onFx(() -> window.model.series().scopeTextProperty().get())).isEqualTo(file.path());
            assertThat(onFx(() -> window.view.seriesView().chart().getData().get(0).getData().size())).isEqualTo(SNAPSHOTS);
            PulseWatch.Stall stall = onFx(watch::finish);
            worstWall = Math.max(worstWall, stall.wallMillis());
            worstCpu = Math.max(worstCpu, stall.cpuMillis());
        }
        System.out.printf("series scale (demo kernel index, %d snapshots x %,d unique PCs), load average %.1f:%n"
                        + "  load (read + resolve every snapshot): %d ms first, %d ms second%n"
                        + "  chart redraw for a selected file: worst FX stall %d ms (%d ms FX-thread CPU) over 5 files%n",
                SNAPSHOTS, PCS, java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                loads[0], loads[1], worstWall, worstCpu);
    }

    private static void collectFiles(ProjectNode node, List<ProjectNode> into) {
        if (node.file()) {
            into.add(node);
        }
        node.children().forEach(child -> collectFiles(child, into));
    }
}
