package dev.kcovexplorer.app.ui.comparisons;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.fixture.ComparisonFixture;
import dev.kcovexplorer.app.model.fixture.ComparisonOracle;
import dev.kcovexplorer.app.ui.compose.Composition;
import dev.kcovexplorer.app.ui.session.CoverageSnapshot;
import dev.kcovexplorer.app.ui.task.BackgroundTasks;
import dev.kcovexplorer.app.ui.task.Progress;
import dev.kcovexplorer.kcov.DumpReader;
import dev.kcovexplorer.testing.Patience;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Comparisons view model without a scene, on a single-thread stand-in for the FX thread, over the
 * real comparisons of the trace-cmp fixture: scopes, filter, never-matched constants, and rows that wait
 * while the window is off screen.
 */
class ComparisonsViewModelTest {
    static ComparisonOracle oracle;
    static ComparisonSource source;

    private final ExecutorService uiThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "ui"));
    private final BackgroundTasks tasks = new BackgroundTasks(uiThread, 2);

    @BeforeAll
    static void buildAndRun() throws Exception {
        ComparisonFixture fixture = ComparisonFixture.get();
        oracle = fixture.oracle;
        Session session = Session.create(fixture.index);
        session.addRun(RunInput.of("cmp", DumpReader.read(fixture.cmp), null));
        source = CoverageSnapshot.compute(session, session.runs(), Composition.ALL_VISIBLE, Progress.NONE).comparisons();
    }

    @AfterEach
    void close() {
        tasks.close();
        uiThread.shutdownNow();
    }

    @Test
    void rowsFollowScopeFileAndFilterAndWaitWhileOffScreen() throws Exception {
        ComparisonsViewModel model = onUi(() -> new ComparisonsViewModel(tasks));
        onUi(() -> {
            model.setSource(source);
            model.setOpenFile("cmp_fixture.c");
            return null;
        });
        assertThat(sites(model)).as("off screen: nothing listed yet").isEmpty();

        onUi(() -> {
            model.setShown(true);
            return null;
        });
        assertThat(sites(model)).isEqualTo(oracleSites(file -> file.equals("cmp_fixture.c")));
        assertThat(onUi(() -> model.summaryProperty().get())).startsWith("cmp: 16 of 16 sites reached");

        onUi(() -> {
            model.setOpenFile("cmp_tail.c");
            return null;
        });
        assertThat(sites(model)).isEqualTo(oracleSites(file -> file.equals("cmp_tail.c"))).hasSize(1);

        onUi(() -> {
            model.scopeProperty().set(ComparisonsViewModel.Scope.ALL_REACHED);
            model.filterTextProperty().set("sizes cmp");
            return null;
        });
        Set<Long> sizes = new TreeSet<>();
        oracle.functionOfSite.forEach((site, function) -> {
            if (function.equals("sizes")) {
                sizes.add(site);
            }
        });
        assertThat(sites(model)).isEqualTo(sizes).hasSize(4);
        assertThat(onUi(() -> model.totalProperty().get())).isEqualTo(oracle.sites.size());

        onUi(() -> {
            model.filterTextProperty().set("");
            model.missedOnlyProperty().set(true);
            return null;
        });
        awaitIdle();
        assertThat(onUi(() -> List.copyOf(model.rows()))).isNotEmpty().allMatch(ComparisonRow::missedConstant)
                .anyMatch(row -> row.note().startsWith("never equal to 0x0409"));
    }

    /** Waits until the listing tasks ran and their rows were set on the UI thread. */
    private void awaitIdle() throws Exception {
        CountDownLatch idle = new CountDownLatch(1);
        uiThread.execute(() -> tasks.whenIdle(idle::countDown));
        assertThat(idle.await(Patience.SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    private Set<Long> sites(ComparisonsViewModel model) throws Exception {
        awaitIdle();
        return onUi(() -> {
            Set<Long> out = new TreeSet<>();
            model.rows().forEach(row -> out.add(row.site().address()));
            return out;
        });
    }

    private static Set<Long> oracleSites(java.util.function.Predicate<String> file) {
        Set<Long> out = new TreeSet<>();
        oracle.lineOfSite.forEach((site, line) -> {
            if (file.test((String) line[0])) {
                out.add(site);
            }
        });
        return out;
    }

    private <T> T onUi(Callable<T> action) throws Exception {
        return uiThread.submit(action).get(Patience.SECONDS, TimeUnit.SECONDS);
    }
}
