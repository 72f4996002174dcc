package dev.kcovexplorer.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.model.KernelInfo;
import dev.kcovexplorer.app.model.PointCoverage;
import dev.kcovexplorer.app.model.RunSeries;
import dev.kcovexplorer.app.model.SeriesCurve;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.SessionRun;
import dev.kcovexplorer.app.model.campaign.Campaign;
import dev.kcovexplorer.app.model.fixture.CampaignFixture;
import dev.kcovexplorer.app.model.fixture.ChainOracle;
import dev.kcovexplorer.app.model.source.DirectorySources;
import dev.kcovexplorer.app.ui.editor.EditorContent;
import dev.kcovexplorer.app.ui.editor.EditorViewModel;
import dev.kcovexplorer.app.ui.functions.FunctionRow;
import dev.kcovexplorer.app.ui.runs.RunItem;
import dev.kcovexplorer.app.ui.series.ChartScope;
import dev.kcovexplorer.app.ui.settings.SettingsStore;
import dev.kcovexplorer.app.ui.task.BackgroundTasks;
import dev.kcovexplorer.app.ui.tree.ProjectNode;
import dev.kcovexplorer.testing.Patience;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The window's view models without a scene, on a single-thread stand-in for the FX thread, over two campaigns
 * cut from the demo kernel's real USB coverage and one run of its own: a series is one card standing for its
 * picked snapshot, the chart's curves follow the scope chosen in the tree and the functions table, and heat,
 * unique coverage and "new in this snapshot" are checked against figures computed from the index's inline
 * chains ({@link ChainOracle}), not the model's tables.
 */
class SeriesViewModelsTest {
    private static final String USB_CORE = "drivers/usb/core";
    private static final String HUB = "drivers/usb/core/hub.c";

    @TempDir
    static Path dir;
    static CampaignFixture fixture;
    static Path guided;
    static Path blind;

    private final ExecutorService ui = Executors.newSingleThreadExecutor(task -> new Thread(task, "test-ui"));
    private BackgroundTasks tasks;
    private MainViewModel model;
    private SessionController controller;
    private Session session;
    private ChainOracle oracle;

    @BeforeAll
    static void campaigns() throws Exception {
        fixture = CampaignFixture.demo();
        guided = CampaignFixture.writeCampaign(dir.resolve("guided"), "guided", fixture.cumulative(5, 1), 60);
        blind = CampaignFixture.writeCampaign(dir.resolve("blind"), "blind", fixture.cumulative(5, 2).subList(0, 3), 60);
        PlaceholderSources.write(dir.resolve("src"), USB_CORE + "/hub.c", 7000);
    }

    /** Other classes run next in this test JVM: left in a static field, the demo session stayed on its heap. */
    @AfterAll
    static void letGoOfTheDemo() {
        fixture = null;
    }

    @BeforeEach
    void window() throws Exception {
        session = Session.create(fixture.demo.index(), fixture.demo.layout().paths(), KernelInfo.UNKNOWN, null);
        SessionRun own = fixture.demo.runs().stream()
                .filter(r -> r != fixture.source && r.comparisons() == null && "pc".equals(r.mode()))
                .findFirst().orElseThrow();
        session.addRun(own.input());
        Campaign.read(blind).addTo(session, null, i -> { });
        Campaign.read(guided).addTo(session, null, i -> { });
        oracle = new ChainOracle(session);
        tasks = new BackgroundTasks(ui, 2);
        model = new MainViewModel(tasks, new SettingsStore(dir.resolve("config")));
        controller = onUi(() -> new SessionController(model));
        onUi(() -> {
            controller.show(session, new DirectorySources(dir.resolve("src"), Map.of()), "series");
            return null;
        });
    }

    @AfterEach
    void close() throws Exception {
        if (model != null) {
            // As the window does: left open, the demo VM's live collections kept ticking and held the session.
            onUi(() -> {
                model.close();
                return null;
            });
        }
        if (tasks != null) {
            tasks.close();
        }
        ui.shutdownNow();
    }

    @Test
    void aSeriesIsOneCardStandingForItsPickedSnapshotAndTheChartFollowsIt() throws Exception {
        awaitCondition(() -> onUi(() -> model.runs().runs().size()) == 3);
        RunItem blindCard = onUi(() -> model.runs().runs().get(1));
        RunSeries blindSeries = session.series("blind").orElseThrow();
        assertThat(blindCard.label()).isEqualTo("blind");
        assertThat(blindCard.series().size()).isEqualTo(3);
        assertThat(blindCard.series().picked()).as("the latest, until another is picked").isEqualTo(2);
        assertThat(session.runs().get(blindCard.id())).isSameAs(blindSeries.latest());
        assertThat(blindCard.details()).startsWith("series \u00B7 3 snapshots over 180 s");
        assertThat(blindCard.series().choices()).containsExactly("snapshot 1 of 3 \u00B7 60 s",
                "snapshot 2 of 3 \u00B7 120 s", "snapshot 3 of 3 \u00B7 180 s");

        // The chart: one curve per series over the whole kernel, then what the tree and the table select.
        awaitCondition(() -> onUi(() -> model.series().curvesProperty().get().size()) == 2);
        checkCurves(file -> true, null);
        ProjectNode usbCore = awaitNode(USB_CORE);
        onUi(() -> {
            model.project().select(usbCore);
            return null;
        });
        awaitCondition(() -> onUi(() -> model.series().scopeTextProperty().get()).equals(USB_CORE));
        checkCurves(file -> file.startsWith(USB_CORE + "/"), null);
        awaitCondition(() -> onUi(() -> model.functions().all().size()) > 0);
        FunctionRow hubEvent = onUi(() -> model.functions().all().stream()
                .filter(r -> r.name().equals("hub_event") && r.path().equals(HUB)).findFirst().orElseThrow());
        onUi(() -> {
            model.functions().select(hubEvent);
            return null;
        });
        awaitCondition(() -> onUi(() -> model.series().scopeTextProperty().get()).equals("hub_event()"));
        checkCurves(HUB::equals, "hub_event");

        // A click on guided's second snapshot: its card stands for it, and so does the composition.
        onUi(() -> {
            model.series().pick("guided", 1);
            return null;
        });
        awaitCondition(() -> onUi(() -> model.runs().runs().get(2).series().picked()) == 1);
        assertThat(onUi(() -> model.series().pickedProperty().get())).containsEntry("guided", 1).containsEntry("blind", 2);
        List<PointCoverage> shown = shownRuns();
        int union = 0;
        for (int p = 0; p < session.index().pointCount(); p++) {
            final int point = p;
            union += shown.stream().anyMatch(r -> r.isHit(point)) ? 1 : 0;
        }
        int expected = union;
        awaitCondition(() -> onUi(() -> root().coveredPoints()) == expected);

        // Unique coverage per card: what it hit that no other shown run has evidence of.
        for (int i = 0; i < 3; i++) {
            List<PointCoverage> others = new ArrayList<>(shown);
            PointCoverage own = others.remove(i);
            int unique = ChainOracle.unique(own, others);
            int card = i;
            awaitCondition(() -> onUi(() -> model.runs().runs().get(card).uniqueProperty().get())
                    .equals("unique: " + String.format("%,d", unique) + (unique == 1 ? " point" : " points")));
        }
    }

    @Test
    void heatShadesTreeRowsAndLinesByHowManyShownRunsHitThem() throws Exception {
        awaitCondition(() -> onUi(() -> model.runs().runs().size()) == 3);
        onUi(() -> {
            model.heatProperty().set(true);
            return null;
        });
        awaitCondition(() -> onUi(() -> model.project().heatOfProperty().get()) == 3);
        List<PointCoverage> shown = shownRuns();
        ProjectNode hub = awaitNode(HUB);
        assertThat(hub.runs()).isEqualTo(oracle.runsHittingFile(shown, HUB));
        int underUsbCore = 0;
        for (PointCoverage run : shown) {
            underUsbCore += oracle.points(run, f -> f.startsWith(USB_CORE + "/"), null) > 0 ? 1 : 0;
        }
        assertThat(awaitNode(USB_CORE).runs()).isEqualTo(underUsbCore);

        EditorViewModel editor = onUi(() -> model.editors().open(HUB));
        awaitCondition(() -> onUi(() -> editor.content() != null && editor.content().heat() != null));
        EditorContent content = onUi(editor::content);
        assertThat(content.heat().of()).isEqualTo(3);
        int[] seen = new int[4];
        for (Map.Entry<Integer, Integer> line : oracle.runsPerLine(shown, HUB).entrySet()) {
            assertThat(content.heatRuns(line.getKey())).as(HUB + ":" + line.getKey()).isEqualTo(line.getValue());
            seen[line.getValue()]++;
        }
        assertThat(seen[0]).as("lines no run hit").isPositive();
        assertThat(seen[3]).as("lines every run hit").isPositive();
    }

    @Test
    void newInASnapshotUniqueAndDiffSidesAreCompositions() throws Exception {
        awaitCondition(() -> onUi(() -> model.runs().runs().size()) == 3);
        awaitCondition(() -> onUi(() -> model.series().curvesProperty().get().size()) == 2);
        RunSeries guidedSeries = session.series("guided").orElseThrow();
        onUi(() -> {
            model.series().showNewIn("guided", 2);
            return null;
        });
        assertThat(onUi(() -> model.composition().expressionProperty().get())).isEqualTo("guided@180s - guided@120s");
        int added = ChainOracle.unique(guidedSeries.snapshot(2).points(), List.of(guidedSeries.snapshot(1).points()));
        assertThat(added).isPositive();
        awaitCondition(() -> onUi(() -> root().coveredPoints()) == added);

        RunItem blindCard = onUi(() -> model.runs().runs().get(1));
        String ownLabel = onUi(() -> model.runs().runs().get(0).label());
        onUi(() -> {
            model.runs().showUnique(blindCard);
            return null;
        });
        assertThat(onUi(() -> model.composition().expressionProperty().get()))
                .isEqualTo("blind@180s - (" + ownLabel + " | guided@300s)");
        List<PointCoverage> shown = shownRuns();
        int unique = ChainOracle.unique(shown.get(1), List.of(shown.get(0), shown.get(2)));
        awaitCondition(() -> onUi(() -> root().coveredPoints()) == unique);

        onUi(() -> {
            model.series().diffSide(true, "guided", 0);
            model.series().diffSide(false, "blind", 2);
            return null;
        });
        assertThat(onUi(() -> model.composition().diffModeProperty().get())).isTrue();
        assertThat(onUi(() -> model.composition().baselineProperty().get())).isEqualTo("guided@60s");
        assertThat(onUi(() -> model.composition().currentProperty().get())).isEqualTo("blind@180s");
        awaitCondition(() -> onUi(() -> model.project().diffProperty().get()));
    }

    /** The runs the cards stand for, in card order. */
    private List<PointCoverage> shownRuns() throws Exception {
        List<PointCoverage> out = new ArrayList<>();
        for (RunItem item : onUi(() -> List.copyOf(model.runs().runs()))) {
            out.add(session.runs().get(item.id()).points());
        }
        return out;
    }

    /**
     * The scope a window's start view names before its session is read (its editor's file): that file's curves, the
     * whole kernel's for a path no file of the session is in, a directory's with a trailing slash too; and the scope the chart already counts, chosen again (the
     * tree selecting the file it reveals), computes nothing again.
     */
    @Test
    void aNamedScopeCountsItsFileOrTheWholeKernelAndTheSameScopeAgainComputesNothing() throws Exception {
        awaitCondition(() -> onUi(() -> model.series().curvesProperty().get().size()) == 2);
        onUi(() -> {
            model.series().setScope(ChartScope.path(HUB));
            return null;
        });
        awaitCondition(() -> onUi(() -> model.series().scopeTextProperty().get()).equals(HUB));
        awaitIdle();
        checkCurves(HUB::equals, null);
        List<SeriesCurve> hubCurves = onUi(() -> model.series().curvesProperty().get());
        onUi(() -> {
            model.series().setScope(ChartScope.path(HUB));
            return null;
        });
        awaitIdle();
        assertThat(onUi(() -> model.series().curvesProperty().get())).as("the same curves, not computed again")
                .isSameAs(hubCurves);

        // A directory named as the tree's paths and CoverageScope.path take it, with its trailing slash, is that
        // directory, not a path no file is in.
        onUi(() -> {
            model.series().setScope(ChartScope.path(USB_CORE + "/"));
            return null;
        });
        awaitCondition(() -> onUi(() -> model.series().scopeTextProperty().get()).equals(USB_CORE));
        checkCurves(file -> file.startsWith(USB_CORE + "/"), null);

        onUi(() -> {
            model.series().setScope(ChartScope.path(USB_CORE + "/no-such-file.c"));
            return null;
        });
        awaitCondition(() -> onUi(() -> model.series().scopeTextProperty().get()).equals("whole kernel"));
        checkCurves(file -> true, null);
    }

    /** Returns once no task runs and what the last one handed over has run. */
    private void awaitIdle() throws Exception {
        CountDownLatch idle = new CountDownLatch(1);
        onUi(() -> {
            tasks.whenIdle(idle::countDown);
            return null;
        });
        assertThat(idle.await(Patience.SECONDS, TimeUnit.SECONDS)).as("idle within " + Patience.SECONDS + " s").isTrue();
    }

    private void checkCurves(Predicate<String> inFile, String function) throws Exception {
        List<SeriesCurve> curves = onUi(() -> model.series().curvesProperty().get());
        assertThat(curves).extracting(SeriesCurve::series).containsExactly("blind", "guided");
        for (SeriesCurve curve : curves) {
            RunSeries series = session.series(curve.series()).orElseThrow();
            for (int i = 0; i < series.size(); i++) {
                PointCoverage hit = series.snapshot(i).points();
                assertThat(curve.seconds()[i]).isEqualTo(series.seconds(i));
                assertThat(curve.points()[i]).as(curve.series() + " points " + i)
                        .isEqualTo(oracle.points(hit, inFile, function));
                assertThat(curve.lines()[i]).as(curve.series() + " lines " + i)
                        .isEqualTo(oracle.lines(hit, inFile, function).size());
            }
        }
    }

    private ProjectNode root() {
        ProjectNode root = model.project().rootProperty().get();
        return root == null ? new ProjectNode("", "", false, -1, 0, -1, 0, 0, 0, 0, List.of()) : root;
    }

    private ProjectNode awaitNode(String path) throws Exception {
        awaitCondition(() -> onUi(() -> find(root(), path)) != null);
        return onUi(() -> find(root(), path));
    }

    private static ProjectNode find(ProjectNode node, String path) {
        if (node.path().equals(path)) {
            return node;
        }
        for (ProjectNode child : node.children()) {
            if (path.equals(child.path()) || path.startsWith(child.path() + "/") || child.path().isEmpty()) {
                ProjectNode found = find(child, path);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private <T> T onUi(Callable<T> action) throws Exception {
        return ui.submit(action).get(Patience.SECONDS, TimeUnit.SECONDS);
    }

    private static void awaitCondition(Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Patience.SECONDS);
        while (!condition.call()) {
            assertThat(System.nanoTime()).as("reached within " + Patience.SECONDS + " s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
