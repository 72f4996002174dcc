package dev.kcovexplorer.app.ui;

import static dev.kcovexplorer.app.ui.ShownStages.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.testing.Patience;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.animation.AnimationTimer;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.Pane;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The window's UI-thread executor on Monocle's real pulses: held until the window shows, then a large action a pulse,
 * none after a pulse that filled its gap, and a change handed over alone in a gap of its own.
 */
class PacedUiThreadTest {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    @RegisterExtension
    final ShownStages stages = new ShownStages();
    private final AtomicInteger pulses = new AtomicInteger();
    private final AnimationTimer counter = new AnimationTimer() {
        @Override
        public void handle(long now) {
            pulses.incrementAndGet();
        }
    };

    @AfterEach
    void stopCounting() throws Exception {
        onFx(() -> {
            counter.stop();
            return null;
        });
    }

    @Test
    void resultsHandedOverTogetherAreRunInPulsesOfTheirOwn() throws Exception {
        PacedUiThread ui = new PacedUiThread();
        onFx(() -> {
            counter.start();
            ui.open();
            return null;
        });
        List<String> ran = new CopyOnWriteArrayList<>();
        List<Integer> pulseOfLarge = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        // As the start's tasks hand over, in one go: progress, a large result (the tree's), progress, another one.
        onFx(() -> {
            ui.execute(() -> ran.add("progress 1"));
            ui.execute(() -> {
                spin(3_000_000);
                pulseOfLarge.add(pulses.get());
                ran.add("tree");
            });
            ui.execute(() -> ran.add("progress 2"));
            ui.execute(() -> {
                spin(3_000_000);
                pulseOfLarge.add(pulses.get());
                ran.add("functions");
            });
            ui.execute(done::countDown);
            return null;
        });
        assertThat(ranWithin(done)).isTrue();
        assertThat(ran).containsExactly("progress 1", "tree", "progress 2", "functions");
        assertThat(pulseOfLarge.get(1)).as("the pulses of the two large results: %s", pulseOfLarge)
                .isGreaterThan(pulseOfLarge.get(0));
    }

    @Test
    void whatComesBeforeTheWindowShowsWaitsAndThenRunsInOrder() throws Exception {
        PacedUiThread ui = new PacedUiThread();
        onFx(() -> {
            counter.start();
            return null;
        });
        List<Integer> ran = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 100; i++) {
            int n = i;
            ui.execute(() -> ran.add(n));
        }
        int from = pulses.get();
        while (pulses.get() < from + 3) {
            Pulses.awaitNext();
        }
        assertThat(ran).as("run before the window shows").isEmpty();
        CountDownLatch done = new CountDownLatch(1);
        ui.execute(done::countDown);
        onFx(() -> {
            ui.open();
            return null;
        });
        assertThat(ranWithin(done)).isTrue();
        assertThat(ran).hasSize(100).isSorted();
        // And handed over after the queue ran dry: still run.
        CountDownLatch later = new CountDownLatch(1);
        ui.execute(later::countDown);
        assertThat(ranWithin(later)).isTrue();
    }

    /**
     * An action that throws (a start view's or a result's callback that failed) is reported as the FX thread reports
     * what a runLater action throws, and what was handed over after it still runs: the share it threw out of left the
     * executor pumping with no pulse asked for, and nothing handed over after it ran again.
     */
    @Test
    void anActionThatThrowsIsReportedAndWhatComesAfterStillRuns() throws Exception {
        PacedUiThread ui = new PacedUiThread();
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler before = onFx(() -> {
            Thread fx = Thread.currentThread();
            Thread.UncaughtExceptionHandler was = fx.getUncaughtExceptionHandler();
            fx.setUncaughtExceptionHandler((thread, failure) -> reported.add(failure));
            counter.start();
            ui.open();
            return was;
        });
        try {
            CountDownLatch done = new CountDownLatch(1);
            ui.execute(() -> {
                throw new IllegalStateException("the start view failed");
            });
            ui.execute(done::countDown);
            assertThat(ranWithin(done)).as("what came after the failure ran").isTrue();
            assertThat(reported).extracting(Throwable::getMessage).containsExactly("the start view failed");
            // And what is handed over later still runs.
            CountDownLatch later = new CountDownLatch(1);
            ui.execute(later::countDown);
            assertThat(ranWithin(later)).isTrue();
        } finally {
            onFx(() -> {
                Thread.currentThread().setUncaughtExceptionHandler(before);
                return null;
            });
        }
    }

    /**
     * A large result whose layout then holds the FX thread 15 ms (the next pulse's, in the window's scene): what came
     * after it waits for the pulse after that one, instead of adding its own CPU to the layout's gap.
     */
    @Test
    void nothingRunsAfterAPulseThatFilledItsGap() throws Exception {
        SlowLayout root = stages.showInPrimary(SlowLayout::new, 300, 200);
        PacedUiThread ui = new PacedUiThread();
        onFx(() -> {
            counter.start();
            ui.leaveFullGaps(root.getScene());
            ui.open();
            return null;
        });
        List<Integer> pulseOf = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        onFx(() -> {
            ui.execute(() -> {
                spin(3_000_000);
                root.slowOnce();
                pulseOf.add(pulses.get());
            });
            ui.execute(() -> {
                pulseOf.add(pulses.get());
                done.countDown();
            });
            return null;
        });
        assertThat(ranWithin(done)).isTrue();
        assertThat(root.slowLayouts).as("the slow layouts").isEqualTo(1);
        assertThat(pulseOf.get(1) - pulseOf.get(0)).as("pulses between the large result and the next: %s", pulseOf)
                .isEqualTo(2);
    }

    /**
     * A change handed over alone (a tool window's content put back: quick itself, its layout is what costs) runs before
     * what waits, and what waits runs only after the next pulse, which lays the change out.
     */
    @Test
    void aChangeHandedOverAloneRunsFirstAndInAGapOfItsOwn() throws Exception {
        PacedUiThread ui = new PacedUiThread();
        onFx(() -> {
            counter.start();
            return null;
        });
        List<String> ran = new CopyOnWriteArrayList<>();
        List<Integer> pulseOf = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        ui.execute(() -> {
            ran.add("progress");
            pulseOf.add(pulses.get());
        });
        ui.execute(done::countDown);
        ui.executeAlone(() -> {
            ran.add("tool window");
            pulseOf.add(pulses.get());
        });
        onFx(() -> {
            ui.open();
            return null;
        });
        assertThat(ranWithin(done)).isTrue();
        assertThat(ran).containsExactly("tool window", "progress");
        assertThat(pulseOf.get(1)).as("the pulses of the change and of the small action after it: %s", pulseOf)
                .isGreaterThan(pulseOf.get(0));
    }

    /**
     * Tool windows chosen while the start holds them ({@link HeldChanges}) are made in the order they were chosen once
     * released: each handed over alone went first, and the last chosen was made first.
     */
    @Test
    void heldToolWindowsAreMadeInTheOrderTheyWereChosen() throws Exception {
        PacedUiThread ui = new PacedUiThread();
        List<String> made = new CopyOnWriteArrayList<>();
        CountDownLatch bothIn = new CountDownLatch(2);
        onFx(() -> {
            HeldChanges held = new HeldChanges(ui::executeAlone);
            TabPane pane = new TabPane(new Tab("Editor"));
            for (String title : List.of("Coverage over Time", "Live")) {
                ToolTab<Pane> tool = new ToolTab<>(title, () -> {
                    made.add(title);
                    return new Pane();
                });
                tool.makeInGapsOf(held);
                tool.tab().contentProperty().addListener((obs, was, content) -> bothIn.countDown());
                pane.getTabs().add(tool.tab());
            }
            pane.getSelectionModel().select(1);
            pane.getSelectionModel().select(2);
            held.release();
            ui.open();
            return null;
        });
        assertThat(ranWithin(bothIn)).as("both tool windows put in").isTrue();
        assertThat(made).containsExactly("Coverage over Time", "Live");
    }

    /** A pane whose next layout, asked for by {@link #slowOnce}, holds the FX thread 15 ms of its CPU. */
    private static final class SlowLayout extends Pane {
        private boolean slow;
        private int slowLayouts;

        void slowOnce() {
            slow = true;
            requestLayout();
        }

        @Override
        protected void layoutChildren() {
            super.layoutChildren();
            if (slow) {
                slow = false;
                slowLayouts++;
                long end = THREADS.getCurrentThreadCpuTime() + 15_000_000;
                while (THREADS.getCurrentThreadCpuTime() < end) {
                    Thread.onSpinWait();
                }
            }
        }
    }

    /**
     * Whether {@code ran} counted down (what was handed over ran) before the test gives up ({@link Patience}, as
     * {@link ShownStages#onFx} waits). On a machine busy with much else the pulses come late and slow.
     */
    private static boolean ranWithin(CountDownLatch ran) throws InterruptedException {
        return ran.await(Patience.SECONDS, TimeUnit.SECONDS);
    }

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
