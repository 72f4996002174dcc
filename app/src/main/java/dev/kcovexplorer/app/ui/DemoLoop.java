package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.demo.DemoAction;
import dev.kcovexplorer.app.demo.DemoScript;
import dev.kcovexplorer.app.demo.DemoState;
import dev.kcovexplorer.app.demo.DemoVm;
import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.app.ui.snapshot.PngSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.util.Duration;

/**
 * {@code kcov-explorer demo}: once the session is shown, boots the Demo VM (the recorded runs hidden, so
 * what lights up is live), and with a script plays it on cue, counted from the agent connecting. After the
 * last action and the settle time: the snapshot, then Stop (every batch in), the session saved once the live
 * runs hold everything, and exit. Progress goes to standard output, failures to standard error; the exit
 * status is 1 when the boot failed, an action was refused, a task failed or the FX thread threw ({@link #fail}).
 * After the FX thread threw, or a task failed in a hands-free demo, the demo ends at once, and neither the snapshot nor
 * the session is written after it: the window then shows less than the demo did. A presenter's demo goes on after a
 * task failed, the failure shown in the window.
 */
final class DemoLoop {
    private static final double LIVE_RUNS_SECONDS = 60;

    private final MainViewModel model;
    private final MainView view;
    private final Scene scene;
    private final LaunchRequest request;
    private final DemoRequest demo;
    private final SessionController sessions;
    private final DemoVm vm;
    private final boolean handsFree;
    private int failures;
    /** The first task that failed since the demo started (a freeze refused, a run not added), or null. */
    private String taskFailure;
    private boolean finishing;
    /** The snapshot is written: a task that fails after it leaves only the session unwritten. */
    private boolean snapshotWritten;
    /** Whether the session is being saved: a save that fails never calls back, so its failure ends the loop. */
    private boolean saving;

    DemoLoop(MainViewModel model, MainView view, Scene scene, LaunchRequest request, DemoRequest demo,
            SessionController sessions) {
        this.model = model;
        this.view = view;
        this.scene = scene;
        this.request = request;
        this.demo = demo;
        this.sessions = sessions;
        this.vm = model.demo().vm();
        this.handsFree = handsFree(request, demo);
    }

    /** Whether the demo runs without a presenter: it ends by itself, with a script, a snapshot or a session to save. */
    static boolean handsFree(LaunchRequest request, DemoRequest demo) {
        return demo.script() != null || request.snapshot() != null || demo.saveSession() != null;
    }

    void start() {
        model.tasks().whenIdle(() -> {
            String failure = model.tasks().lastFailureProperty().get();
            if (failure != null && !failure.isEmpty()) {
                exit(1, failure);
                return;
            }
            model.tasks().failuresProperty().addListener((obs, old, count) ->
                    taskFailed(model.tasks().lastFailureProperty().get()));
            model.runs().runs().forEach(run -> run.visibleProperty().set(false));
            String notShown = StartViews.show(request.view(), model, view);
            if (notShown != null && handsFree) {
                // Before the guest boots: its snapshot would show something else than asked for.
                exit(1, notShown);
                return;
            }
            if (notShown != null) {
                model.setWarning(notShown);
            }
            view.showDemo();
            model.demo().stateProperty().addListener((obs, old, state) -> stateChanged(state));
            model.demo().actionErrorProperty().addListener((obs, old, error) -> {
                if (!error.isEmpty()) {
                    failures++;
                    System.err.println("demo: " + error);
                }
            });
            say("booting " + demo.options().bzImage());
            model.demo().start();
        });
    }

    /**
     * Ends the demo with {@code line}, exit 1, when something on its way failed outside its tasks (the FX thread
     * threw): neither file is written after it, and the guest is powered off as the window closes.
     */
    void fail(String line) {
        if (taskFailure == null) {
            taskFailure = line;
        }
        exit(1, line);
    }

    /**
     * A hands-free demo a task failed in ends now, refusing the files it has not written yet: waiting for the window
     * to go idle first (as its end does to show the settled window) delayed the refusal by minutes when the window
     * stayed busy (a loaded machine unpacking sources, live updates), and nothing it did meanwhile would be written.
     * A presenter's demo goes on, the failure shown in the window.
     */
    private void taskFailed(String failure) {
        if (failure == null || failure.isEmpty()) {
            return;
        }
        System.err.println("demo: " + failure);
        boolean first = taskFailure == null;
        if (first) {
            taskFailure = failure;
        }
        if (saving) {
            exit(1, null);
        } else if (handsFree && first) {
            if (request.snapshot() != null && !snapshotWritten) {
                refusesToWrite(request.snapshot());
            }
            if (demo.saveSession() != null) {
                refusesToWrite(demo.saveSession());
            }
            end();
        }
    }

    private void stateChanged(DemoState state) {
        if (state.isBooting()) {
            say(model.demo().statusProperty().get());
        }
        if (state == DemoState.RUNNING) {
            say(model.demo().statusProperty().get());
            if (demo.script() != null) {
                demo.script().steps().forEach(this::schedule);
                after(demo.script().lastSeconds() + demo.settleSeconds(), this::finish);
            } else if (handsFree) {
                after(demo.settleSeconds(), this::finish);
            }
        } else if (state == DemoState.FAILED && !finishing) {
            System.err.println("demo: " + model.demo().statusProperty().get());
            if (handsFree) {
                exit(1, null);
            }
        }
    }

    private void schedule(DemoScript.Step step) {
        after(step.seconds(), () -> {
            DemoAction action = step.action();
            if (action.kind() == DemoAction.Kind.FREEZE) {
                sessions.addRun(() -> frozen(action.name()));
                say(String.format(Locale.ROOT, "%.1f s: freeze %s", vm.secondsConnected(), action.name()));
                return;
            }
            vm.act(action).thenAccept(done -> {
                if (done) {
                    say(String.format(Locale.ROOT, "%.1f s: %s", vm.secondsConnected(), action.label()));
                }
            });
        });
    }

    private RunInput frozen(String name) {
        RunInput run = DemoVm.awaitFreeze(vm.freezeSinceLastFreeze(name), name);
        if (run == null) {
            throw new IllegalStateException("freeze " + name + ": the demo VM is not connected");
        }
        return run;
    }

    /** After the last action: the snapshot, Stop, the live runs complete in the session, saved, exit. */
    private void finish() {
        finishing = true;
        model.tasks().whenIdle(() -> settle(() -> {
            if (request.snapshot() != null && !refusesToWrite(request.snapshot())) {
                try {
                    PngSnapshot.write(scene, request.snapshot());
                    snapshotWritten = true;
                    say("wrote " + request.snapshot());
                } catch (IOException e) {
                    exit(1, "cannot write " + request.snapshot() + ": " + e.getMessage());
                    return;
                }
            }
            say("powering the guest off");
            vm.stop().thenRun(() -> Platform.runLater(() -> when(sessions::liveRunsSettled, LIVE_RUNS_SECONDS,
                    () -> model.tasks().whenIdle(this::save))));
        }));
    }

    private void save() {
        say(String.format(Locale.ROOT, "live usb: %s; live vhost: %s", orNothing(model.demo().usbFiguresProperty().get()),
                orNothing(model.demo().vhostFiguresProperty().get())));
        if (demo.saveSession() == null || refusesToWrite(demo.saveSession())) {
            end();
            return;
        }
        saving = true;
        sessions.save(demo.saveSession(), () -> {
            say("saved " + demo.saveSession());
            end();
        });
    }

    /** Whether {@code file} is left unwritten because a task failed, said on standard error. */
    private boolean refusesToWrite(Path file) {
        if (taskFailure == null) {
            return false;
        }
        System.err.println("demo: not writing " + file + ": a task failed");
        return true;
    }

    private void end() {
        if (failures > 0) {
            exit(1, failures + " action(s) failed");
        } else {
            exit(taskFailure != null ? 1 : 0, taskFailure != null ? "a task failed" : null);
        }
    }

    private static String orNothing(String figures) {
        return figures.isEmpty() ? "nothing" : figures;
    }

    /** Runs {@code action} on the FX thread {@code seconds} after now. */
    private static void after(double seconds, Runnable action) {
        PauseTransition pause = new PauseTransition(Duration.seconds(Math.max(0, seconds)));
        pause.setOnFinished(e -> action.run());
        pause.play();
    }

    /** A few pulses for CSS, layout and the editors' virtual flow to catch up with the last changes. */
    private static void settle(Runnable then) {
        after(0.4, then);
    }

    /** Runs {@code then} once {@code condition} holds, checking every 100 ms; gives up after {@code seconds}. */
    private void when(BooleanSupplier condition, double seconds, Runnable then) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        Runnable[] check = new Runnable[1];
        check[0] = () -> {
            if (condition.getAsBoolean()) {
                then.run();
            } else if (System.nanoTime() > deadline) {
                exit(1, "the live runs did not take the last batches within " + (int) seconds + " s");
            } else {
                after(0.1, check[0]);
            }
        };
        check[0].run();
    }

    private static void say(String line) {
        System.out.println("demo: " + line);
        System.out.flush();
    }

    private static void exit(int code, String message) {
        if (message != null) {
            System.err.println("kcov-explorer: " + message);
        }
        ExplorerLauncher.setExitCode(code);
        Platform.exit();
    }
}
