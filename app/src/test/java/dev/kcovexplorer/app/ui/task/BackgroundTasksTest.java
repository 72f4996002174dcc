package dev.kcovexplorer.app.ui.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.testing.Patience;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The executor abstraction on a single-thread stand-in for the FX thread, no toolkit. Work held by a test waits until
 * the test releases it (or the close interrupts it): given up on its own, it ended while the test still looked at it
 * running.
 */
class BackgroundTasksTest {
    /**
     * How long a wait for what a test asserts may take before it fails: it ends as soon as that happens, in
     * microseconds on an idle machine, so this is only how long a busy one may starve the threads (load ~50).
     */
    private static final Duration PATIENCE = Duration.ofSeconds(Patience.SECONDS);
    private final ExecutorService uiThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "ui"));
    private final BackgroundTasks tasks = new BackgroundTasks(uiThread, 2);

    @AfterEach
    void close() {
        tasks.close();
        uiThread.shutdownNow();
    }

    @Test
    void resultArrivesOnTheUiThreadAndWorkRunsOffIt() throws Exception {
        AtomicReference<String> workThread = new AtomicReference<>();
        AtomicReference<String> callbackThread = new AtomicReference<>();
        AtomicReference<Integer> result = new AtomicReference<>();
        TaskHandle<Integer> handle = tasks.submit("sum", progress -> {
            workThread.set(Thread.currentThread().getName());
            return 6 * 7;
        }, value -> {
            callbackThread.set(Thread.currentThread().getName());
            result.set(value);
        });
        assertThat(handle.await(PATIENCE)).isTrue();
        assertThat(result.get()).isEqualTo(42);
        assertThat(workThread.get()).startsWith("kcov-explorer-worker-");
        assertThat(callbackThread.get()).isEqualTo("ui");
    }

    @Test
    void busyMessageAndProgressFollowTheRunningTaskThenReset() throws Exception {
        CountDownLatch reported = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TaskHandle<Void> handle = tasks.submit("Indexing vmlinux", progress -> {
            progress.message("reading .debug_line");
            progress.progress(25, 100);
            reported.countDown();
            release.await();
            return null;
        }, value -> { });
        assertThat(reached(reported)).isTrue();
        List<Object> seen = onUi(() -> List.of(tasks.busyProperty().get(), tasks.messageProperty().get(),
                tasks.progressProperty().get()));
        assertThat(seen).containsExactly(true, "Indexing vmlinux: reading .debug_line", 0.25);
        release.countDown();
        assertThat(handle.await(PATIENCE)).isTrue();
        assertThat(onUi(() -> List.of(tasks.busyProperty().get(), tasks.messageProperty().get())))
                .containsExactly(false, "");
    }

    @Test
    void cancelledWorkStopsAndItsCallbackNeverRuns() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        List<String> callbacks = new ArrayList<>();
        TaskHandle<String> handle = tasks.submit("long", progress -> {
            started.countDown();
            while (true) {
                progress.checkCancelled();
                Thread.sleep(1);
            }
        }, value -> callbacks.add("success"), error -> callbacks.add("failure"));
        assertThat(reached(started)).isTrue();
        tasks.cancelAll();
        assertThat(handle.await(PATIENCE)).isTrue();
        assertThat(handle.isCancelled()).isTrue();
        assertThat(onUi(() -> new ArrayList<>(callbacks))).isEmpty();
    }

    @Test
    void failureBecomesOneLineNamingTheTask() throws Exception {
        TaskHandle<Object> handle = tasks.submit("Open session", progress -> {
            throw new java.nio.file.NoSuchFileException("/tmp/missing.kcovx");
        }, value -> { });
        assertThat(handle.await(PATIENCE)).isTrue();
        assertThat(onUi(() -> tasks.lastFailureProperty().get()))
                .isEqualTo("Open session: no such file: /tmp/missing.kcovx");
    }

    /**
     * A task with a failure handler of its own (an editor's banner) is still the last failure, before its handler
     * runs: what asks whether any task failed (a headless snapshot) missed the ones shown their own way.
     */
    @Test
    void aFailureShownItsOwnWayIsStillTheLastFailure() throws Exception {
        List<String> seenByHandler = new ArrayList<>();
        TaskHandle<Object> handle = tasks.submit("Opening hub.c", progress -> {
            throw new java.io.IOException("hub.c: Input/output error");
        }, value -> { }, error -> seenByHandler.add(tasks.lastFailureProperty().get() + " / " + error.getMessage()));
        assertThat(handle.await(PATIENCE)).isTrue();
        assertThat(onUi(() -> tasks.lastFailureProperty().get())).isEqualTo("Opening hub.c: hub.c: Input/output error");
        assertThat(onUi(() -> new ArrayList<>(seenByHandler)))
                .containsExactly("Opening hub.c: hub.c: Input/output error / hub.c: Input/output error");
    }

    /**
     * A title naming a file from a session (an editor's, as its DWARF spells it) is escaped in the last failure, as the
     * error's own text is: a headless snapshot and a demo print that line to the terminal.
     */
    @Test
    void aTitleWithControlCharactersIsEscapedInTheLastFailure() throws Exception {
        TaskHandle<Object> handle = tasks.submit("Opening hub\u001b]0;owned\u0007.c\nkcov-explorer: ok", progress -> {
            throw new java.io.IOException("Input/output error");
        }, value -> { }, error -> { });
        assertThat(handle.await(PATIENCE)).isTrue();
        assertThat(onUi(() -> tasks.lastFailureProperty().get()))
                .isEqualTo("Opening hub\\e]0;owned\\u0007.c\\nkcov-explorer: ok: Input/output error");
    }

    @Test
    void newerRequestWithTheSameKeyCancelsTheOlder() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        List<String> delivered = new ArrayList<>();
        TaskHandle<String> first = tasks.submitLatest("editor:hub.c", "restyle", progress -> {
            firstStarted.countDown();
            while (!progress.isCancelled()) {
                Thread.sleep(1);
            }
            return "old";
        }, delivered::add);
        assertThat(reached(firstStarted)).isTrue();
        TaskHandle<String> second = tasks.submitLatest("editor:hub.c", "restyle", progress -> "new", delivered::add);
        assertThat(second.await(PATIENCE)).isTrue();
        assertThat(first.await(PATIENCE)).isTrue();
        assertThat(first.isCancelled()).isTrue();
        assertThat(onUi(() -> new ArrayList<>(delivered))).containsExactly("new");
    }

    @Test
    void idleActionWaitsForChainedTasks() throws Exception {
        CountDownLatch idle = new CountDownLatch(1);
        List<String> order = new ArrayList<>();
        uiThread.submit(() -> {
            tasks.submit("load", progress -> "session", value -> {
                order.add("loaded");
                tasks.submit("tree", progress -> "tree", built -> order.add("tree built"));
            });
            tasks.whenIdle(() -> {
                order.add("idle");
                idle.countDown();
            });
        }).get();
        assertThat(reached(idle)).isTrue();
        assertThat(onUi(() -> new ArrayList<>(order))).containsExactly("loaded", "tree built", "idle");
    }

    /**
     * Unpacking a source tarball's rest runs for a minute: what waits for the session to settle (the view a window
     * opens at) does not wait for it, what waits for idle still does, and it shows as running meanwhile.
     */
    @Test
    void settledActionsDoNotWaitForUnwaitedWorkIdleActionsDo() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        TaskHandle<String> unpack = tasks.submitUnwaited("unpack", progress -> {
            release.await();
            return "unpacked";
        }, value -> { });
        CountDownLatch idle = new CountDownLatch(1);
        try {
            CountDownLatch settled = new CountDownLatch(1);
            tasks.submit("load", progress -> "session", value -> {
                tasks.whenSettled(settled::countDown);
                tasks.whenIdle(idle::countDown);
            });
            assertThat(reached(settled)).as("settled while the unwaited work runs").isTrue();
            assertThat(unpack.isFinished()).isFalse();
            assertThat(idle.getCount()).as("not idle before it ends").isEqualTo(1);
            assertThat(onUi(() -> tasks.busyProperty().get())).as("still shown busy").isTrue();
            assertThat(onUi(() -> tasks.messageProperty().get())).isEqualTo("unpack");
        } finally {
            release.countDown();
        }
        assertThat(reached(idle)).as("idle once it ended").isTrue();
    }

    /**
     * The editor a window opens at does not wait for the project tree's result: an action settled but for a key runs
     * while that key's task is held back, and still waits for every other task; a plain settled action waits for both.
     */
    @Test
    void settledButActionsDoNotWaitForTheKeysTasksOthersStillDo() throws Exception {
        CountDownLatch releaseTree = new CountDownLatch(1);
        CountDownLatch releaseEditor = new CountDownLatch(1);
        TaskHandle<String> tree = tasks.submitLatest("tree", "Building the tree", progress -> {
            releaseTree.await();
            return "tree";
        }, value -> { });
        try {
            CountDownLatch settledButTree = new CountDownLatch(1);
            CountDownLatch settled = new CountDownLatch(1);
            tasks.submit("editor", progress -> {
                releaseEditor.await();
                return "hub.c";
            }, value -> { });
            uiThread.execute(() -> {
                tasks.whenSettledBut(java.util.Set.of("tree"), settledButTree::countDown);
                tasks.whenSettled(settled::countDown);
            });
            assertThat(onUi(() -> settledButTree.getCount())).as("waits for the editor's task").isEqualTo(1);
            releaseEditor.countDown();
            assertThat(reached(settledButTree)).as("settled while the tree's task runs").isTrue();
            assertThat(tree.isFinished()).isFalse();
            assertThat(settled.getCount()).as("a plain settled action waits for the tree").isEqualTo(1);
            releaseTree.countDown();
            assertThat(reached(settled)).as("settled once the tree's task ended").isTrue();
        } finally {
            releaseTree.countDown();
            releaseEditor.countDown();
        }
    }

    /**
     * The tree's result, done before the start view's editor content, is held until released: what is settled but for
     * its key runs first, the result after the release, and a plain settled action waits for it.
     */
    @Test
    void heldResultsWaitForTheReleaseAndStillCountAsRunning() throws Exception {
        List<String> applied = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch settledButTree = new CountDownLatch(1);
        CountDownLatch settled = new CountDownLatch(1);
        tasks.holdResults(java.util.Set.of("tree"));
        TaskHandle<String> tree = tasks.submitLatest("tree", "Building the tree", progress -> "tree", applied::add);
        tasks.submit("editor", progress -> "hub.c", value -> {
            applied.add(value);
            tasks.whenSettledBut(java.util.Set.of("tree"), settledButTree::countDown);
            tasks.whenSettled(settled::countDown);
        });
        assertThat(reached(settledButTree)).as("settled but for the tree").isTrue();
        assertThat(onUi(() -> List.copyOf(applied))).containsExactly("hub.c");
        assertThat(tree.isFinished()).as("the tree's result held").isFalse();
        assertThat(settled.getCount()).as("a plain settled action waits for the held result").isEqualTo(1);
        tasks.releaseResults();
        assertThat(reached(settled)).as("settled once released").isTrue();
        assertThat(onUi(() -> List.copyOf(applied))).containsExactly("hub.c", "tree");
    }

    /**
     * A held result superseded before the release (another session opened while the start view's tree was held) is
     * not applied when released: only the newest one of its key is, once, and nothing is held after the release.
     */
    @Test
    void aHeldResultSupersededBeforeTheReleaseIsNotApplied() throws Exception {
        List<String> applied = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch computed = new CountDownLatch(1);
        tasks.holdResults(java.util.Set.of("tree"));
        TaskHandle<String> first = tasks.submitLatest("tree", "Building the tree", progress -> "first session",
                applied::add);
        TaskHandle<String> second = tasks.submitLatest("tree", "Building the tree", progress -> {
            computed.countDown();
            return "second session";
        }, applied::add);
        // Checked once the newest has computed and a task not held, submitted after that, has had its result applied:
        // right after the submits nothing had finished yet, whether the results were held or not.
        assertThat(reached(computed)).as("the newest computed").isTrue();
        TaskHandle<String> notHeld = tasks.submit("editor", progress -> "hub.c", value -> { });
        assertThat(notHeld.await(PATIENCE)).as("a task not held finished").isTrue();
        assertThat(first.isFinished() || second.isFinished()).as("held until the release").isFalse();
        tasks.releaseResults();
        tasks.releaseResults();
        assertThat(first.await(PATIENCE)).isTrue();
        assertThat(second.await(PATIENCE)).isTrue();
        assertThat(onUi(() -> List.copyOf(applied))).containsExactly("second session");
        TaskHandle<String> later = tasks.submitLatest("tree", "Building the tree", progress -> "after", applied::add);
        assertThat(later.await(PATIENCE)).as("no longer held").isTrue();
        assertThat(onUi(() -> List.copyOf(applied))).containsExactly("second session", "after");
    }

    @Test
    void taskCancelledBeforeItStartedStillFinishesSoIdleActionsRun() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        BackgroundWork<String> blocking = progress -> {
            release.await();
            return "done";
        };
        tasks.submit("first", blocking, value -> { });
        tasks.submit("second", blocking, value -> { });
        TaskHandle<String> queued = tasks.submit("queued behind both workers", progress -> "never", value -> { });
        queued.cancel();
        CountDownLatch idle = new CountDownLatch(1);
        tasks.whenIdle(idle::countDown);
        release.countDown();
        assertThat(queued.await(PATIENCE)).isTrue();
        assertThat(reached(idle)).isTrue();
    }

    private static boolean reached(CountDownLatch latch) throws InterruptedException {
        return latch.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private <T> T onUi(java.util.concurrent.Callable<T> read) throws Exception {
        return uiThread.submit(read).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    }
}
