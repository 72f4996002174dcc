package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.source.KernelSources;
import dev.kcovexplorer.app.ui.session.SessionLoading;
import dev.kcovexplorer.app.ui.settings.SettingsStore;
import dev.kcovexplorer.app.ui.task.AfterPulses;
import dev.kcovexplorer.app.ui.task.BackgroundTasks;
import dev.kcovexplorer.app.ui.task.BackgroundWork;
import dev.kcovexplorer.kcov.FileTrees;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * {@code bench window-scale}: the real main window, headless, loading a session (a synthetic kernel-scale one or
 * a session file), then composing an expression over its runs and diffing two of them, each step timed to idle
 * with the worst FX-thread stall seen ({@link PulseWatch}); then the memory it holds: heap used after a full
 * collection, the heap's peak, and the process's resident set now and at its peak. Its signature has no JavaFX
 * types, so the CLI calls it without depending on JavaFX.
 */
public final class WindowScaleBench {
    private static final AtomicReference<Plan> PLAN = new AtomicReference<>();
    /** What stopped the plan, thrown by {@link #run} once the toolkit has exited. */
    private static final AtomicReference<Exception> FAILURE = new AtomicReference<>();
    /** The window's settings folder, of this run alone (nothing the user set may change the figures). */
    private static final AtomicReference<Path> SETTINGS = new AtomicReference<>();

    /** What to load and what to do with it; labels are the session's run names. */
    public record Plan(String what, BackgroundWork<Session> load, String expression, String diffA, String diffB,
                       PrintWriter out) {
    }

    private WindowScaleBench() {
    }

    /**
     * Runs the plan in a headless window; returns once it has printed its figures, or throws what stopped it (a
     * session that did not load, an expression refused): figures cut short are not a result.
     */
    public static int run(Plan plan) throws Exception {
        ExplorerLauncher.useHeadlessPlatform();
        PLAN.set(plan);
        SETTINGS.set(Files.createTempDirectory("kcov-explorer-bench"));
        try {
            Application.launch(Window.class);
        } finally {
            FileTrees.delete(SETTINGS.getAndSet(null));
        }
        Exception failure = FAILURE.getAndSet(null);
        if (failure != null) {
            throw failure;
        }
        return 0;
    }

    /** The session read from {@code file}, as the window opens it. */
    public static BackgroundWork<Session> sessionFile(Path file) {
        return progress -> SessionLoading.fromSessionFile(file, null, progress);
    }

    /** The JavaFX side: a window like the real one, driven from a thread of its own. */
    public static final class Window extends Application {
        private MainViewModel model;
        private SessionController controller;

        @Override
        public void start(Stage stage) {
            // The window's own UI-thread executor, as ExplorerApp's window has it: one large result a gap, none after a
            // pulse that filled its gap. Run on the FX thread as they came (the bench's own executor until now), two
            // results and the first one's layout shared a gap: the kernel-scale load's worst, 46-52 ms of FX CPU.
            PacedUiThread uiThread = new PacedUiThread();
            model = new MainViewModel(new BackgroundTasks(uiThread, 2), new SettingsStore(SETTINGS.get()));
            controller = new SessionController(model);
            MainView view = new MainView(model, controller);
            Scene scene = new Scene(view, 1500, 940);
            Themes.apply(scene, model.themeProperty().get());
            // The window's warm-up too (ExplorerApp runs it before its window shows): without it the load step's
            // worst gap was the run cards' first styling and layout in a fresh JVM, 48-57 ms of FX CPU (30-39 with
            // it, at load 6), a cost of this bench, not of the window. Before the steps: no step times it.
            WindowWarmUp.run(model.themeProperty().get());
            stage.setScene(scene);
            stage.show();
            uiThread.leaveFullGaps(scene);
            uiThread.open();
            Thread driver = new Thread(() -> {
                try {
                    drive(PLAN.get());
                } catch (Exception e) {
                    FAILURE.set(e);
                } finally {
                    Platform.runLater(() -> {
                        model.close();
                        Platform.exit();
                    });
                }
            }, "window-scale-bench");
            driver.setDaemon(true);
            driver.start();
        }

        private void drive(Plan plan) throws Exception {
            PrintWriter out = plan.out();
            out.printf(Locale.ROOT, "window-scale: %s; max heap %,d MB, load average %.1f%n", plan.what(),
                    Runtime.getRuntime().maxMemory() >> 20,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            step(out, "load (read, resolve, compute, show)", () -> model.tasks().submit("Loading", plan.load(),
                    session -> controller.show(session, KernelSources.NONE, plan.what())));
            checkNoFailure();
            int runs = onFx(() -> controller.session().runs().size());
            long functions = onFx(() -> (long) model.functions().all().size());
            out.printf(Locale.ROOT, "  shown: %d runs, %,d functions%n", runs, functions);
            step(out, "compose " + plan.expression(), () -> model.composition().expressionProperty()
                    .set(plan.expression()));
            check(model.composition().problemProperty()::get, "the expression");
            step(out, "diff " + plan.diffA() + " vs " + plan.diffB(), () -> model.composition()
                    .showDiff(plan.diffA(), plan.diffB()));
            check(model.composition().problemProperty()::get, "the diff");
            step(out, "back to the union", () -> {
                model.composition().diffModeProperty().set(false);
                model.composition().expressionProperty().set("");
            });
            memory(out);
        }

        private void check(Supplier<String> problem, String what) throws Exception {
            String text = onFx(problem::get);
            if (!text.isEmpty()) {
                throw new IllegalStateException(what + " was refused: " + text);
            }
            checkNoFailure();
        }

        /** A task's failure ("Loading: FILE: why") ends the plan: the steps after it would time nothing. */
        private void checkNoFailure() throws Exception {
            String failure = onFx(() -> model.tasks().lastFailureProperty().get());
            if (failure != null && !failure.isEmpty()) {
                throw new IllegalStateException(failure);
            }
        }

        /** Does {@code action} on the FX thread, waits until the window is idle; prints the time and worst stall. */
        private void step(PrintWriter out, String name, Runnable action) throws Exception {
            PulseWatch watch = onFx(PulseWatch::begin);
            long start = System.nanoTime();
            onFx(() -> {
                action.run();
                return null;
            });
            awaitIdle();
            long millis = (System.nanoTime() - start) / 1_000_000;
            PulseWatch.Stall stall = onFx(watch::finish);
            out.printf(Locale.ROOT, "  %s: %,d ms to idle, worst FX stall %s%n", name, millis, stall);
            out.flush();
        }

        private void awaitIdle() throws Exception {
            CountDownLatch idle = new CountDownLatch(1);
            Platform.runLater(() -> model.tasks().whenIdle(idle::countDown));
            if (!idle.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("still busy after 10 minutes: " + onFx(() -> model.tasks().messageProperty().get()));
            }
            // What the tasks' results queued for the FX thread, then a pulse for their layout.
            onFx(() -> null);
            CountDownLatch pulse = new CountDownLatch(1);
            onFx(() -> {
                AfterPulses.afterNext(pulse::countDown);
                return null;
            });
            pulse.await(1, TimeUnit.MINUTES);
        }

        private static void memory(PrintWriter out) throws IOException {
            long peakHeap = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peakHeap += pool.getPeakUsage().getUsed();
                }
            }
            System.gc();
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            List<String> status = Files.readAllLines(Path.of("/proc/self/status"));
            out.printf(Locale.ROOT, "  memory: heap used %,d MB after a full collection (peak of the heap's pools %,d MB); "
                    + "RSS %s now, %s at peak%n", used >> 20, peakHeap >> 20, field(status, "VmRSS:"), field(status, "VmHWM:"));
        }

        private static String field(List<String> status, String name) {
            for (String line : status) {
                if (line.startsWith(name)) {
                    long kb = Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
                    return String.format(Locale.ROOT, "%,d MB", kb >> 10);
                }
            }
            return "?";
        }

        private static <T> T onFx(java.util.concurrent.Callable<T> action) throws Exception {
            CompletableFuture<T> result = new CompletableFuture<>();
            Platform.runLater(() -> {
                try {
                    result.complete(action.call());
                } catch (Exception | Error e) {
                    result.completeExceptionally(e);
                }
            });
            return result.get(10, TimeUnit.MINUTES);
        }
    }
}
