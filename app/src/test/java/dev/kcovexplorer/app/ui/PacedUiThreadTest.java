package dev.kcovexplorer.app.ui;

import static dev.kcovexplorer.app.ui.ShownStages.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.animation.AnimationTimer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;

/** The window's UI-thread executor on Monocle's real pulses: held until the window shows, then a large action a pulse. */
class PacedUiThreadTest {
    private final AtomicInteger pulses = new AtomicInteger();
    private final AnimationTimer counter = new AnimationTimer() {
        @Override
        public void handle(long now) {
            pulses.incrementAndGet();
        }
    };

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

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
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
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
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).hasSize(100).isSorted();
        // And handed over after the queue ran dry: still run.
        CountDownLatch later = new CountDownLatch(1);
        ui.execute(later::countDown);
        assertThat(later.await(10, TimeUnit.SECONDS)).isTrue();
    }

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
