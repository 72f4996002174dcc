package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.demo.DemoAction;
import dev.kcovexplorer.app.demo.DemoScript;
import dev.kcovexplorer.app.demo.DemoState;
import dev.kcovexplorer.app.demo.DemoVm;
import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.app.ui.snapshot.PngSnapshot;
import dev.kcovexplorer.app.ui.task.TaskHandle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
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
 * A hands-free demo ends at once on any of these, and neither the snapshot nor the session is written after it: the
 * window then shows less than the script asked for, and a file that looked complete would hide it. Each file the demo
 * was to write is named once on its way out, "wrote"/"saved" (it exists, complete) or "not writing" (it does not), so
 * a script can tell a complete picture (status 0, both files) from a broken one (status 1, the files named). A
 * presenter's demo goes on after a task failed or an action was refused, the failure shown in the window.
 */
final class DemoLoop {
    private static final double LIVE_RUNS_SECONDS = 60;
    /** For tests: sees the session's save once it is submitted (FX thread). */
    static volatile Consumer<TaskHandle<Path>> saveSubmittedForTests = save -> { };
    /** For tests: runs on the saving thread once the session's file is complete, before the commit decides on it. */
    static volatile Runnable committingForTests = () -> { };
    /** For tests: runs on the saving thread once the session's file is in place, before the save's result goes on. */
    static volatile Runnable placedForTests = () -> { };

    private final MainViewModel model;
    private final MainView view;
    private final Scene scene;
    private final LaunchRequest request;
    private final DemoRequest demo;
    private final SessionController sessions;
    private final DemoVm vm;
    private final boolean handsFree;
    /**
     * Why a hands-free demo refuses the files it has not written yet (a task failed, an action was refused, the FX
     * thread threw, ...), also its exit line; null while nothing went wrong.
     */
    private String refusal;
    private boolean finishing;
    /** The snapshot is written: a failure after it leaves only the session unwritten. */
    private boolean snapshotWritten;
    /** The session's save once it started, else null: a failure meanwhile must wait for it to know what it left. */
    private TaskHandle<Path> save;
    /** Decides, against a refusal, whether the save under way puts its file in place. */
    private final FileCommit commit = new FileCommit(() -> committingForTests.run(), () -> placedForTests.run());
    /** The snapshot is being written (off the FX thread): a failure meanwhile must wait for it to know what it left. */
    private boolean snapshotWriting;
    /** Decides, against a refusal, whether the snapshot being written goes in place. */
    private final FileCommit snapshotCommit = new FileCommit();
    /** The session's file was named, "saved" or "not writing": it is named once. */
    private boolean saveSaid;
    /** The exit status is set and the window closing: nothing more is written, said or changed. */
    private boolean ended;

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
                refuse(failure);
                return;
            }
            model.tasks().failuresProperty().addListener((obs, old, count) ->
                    taskFailed(model.tasks().lastFailureProperty().get()));
            model.runs().runs().forEach(run -> run.visibleProperty().set(false));
            String notShown = StartViews.show(request.view(), model, view);
            if (notShown != null && handsFree) {
                // Before the guest boots: its snapshot would show something else than asked for.
                refuse(notShown);
                return;
            }
            if (notShown != null) {
                model.setWarning(notShown);
            }
            view.showDemo();
            model.demo().stateProperty().addListener((obs, old, state) -> stateChanged(state));
            model.demo().actionErrorProperty().addListener((obs, old, error) -> {
                if (!error.isEmpty() && !ended) {
                    System.err.println("demo: " + error);
                    if (handsFree) {
                        refuse("an action was refused");
                    }
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
        refuse(line);
    }

    /**
     * A hands-free demo a task failed in ends now, refusing the files it has not written yet: waiting for the window
     * to go idle first (as its end does to show the settled window) delayed the refusal by minutes when the window
     * stayed busy (a loaded machine unpacking sources, live updates), and nothing it did meanwhile would be written.
     * A presenter's demo goes on, the failure shown in the window. A failure once the demo ended (the window closing
     * after the session was saved) changes nothing: the files are written and said, the exit status set.
     */
    private void taskFailed(String failure) {
        if (failure == null || failure.isEmpty() || ended) {
            return;
        }
        System.err.println("demo: " + failure);
        if (handsFree) {
            refuse("a task failed");
        }
    }

    /**
     * The first failure of a hands-free demo: each file not yet written is refused and the demo ends, exit 1 with
     * {@code why}. A save under way is refused too unless its file is already going in place; either way the demo
     * ends only once the save did, saying which ("saved" or "not writing"): it exited while the save went on, its
     * file appearing after an exit that said nothing of it.
     */
    private void refuse(String why) {
        if (refusal != null || ended) {
            return;
        }
        refusal = why;
        if (save != null) {
            commit.refuse();
            whenFinished(save, () -> {
                sayWhatTheSaveLeft();
                end();
            });
            return;
        }
        if (snapshotWriting) {
            // The snapshot's write ends by itself, its file in place or refused: snapshotEnded says which, then ends.
            snapshotCommit.refuse();
            return;
        }
        refusedFiles();
    }

    /** After a refusal: names each file not written and ends the demo. */
    private void refusedFiles() {
        if (request.snapshot() != null && !snapshotWritten) {
            notWriting(request.snapshot());
        }
        if (demo.saveSession() != null) {
            notWriting(demo.saveSession());
        }
        end();
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
        } else if (state == DemoState.FAILED && !finishing && !ended) {
            System.err.println("demo: " + model.demo().statusProperty().get());
            if (handsFree) {
                refuse("the demo VM failed");
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
        if (refusal != null) {
            return;
        }
        finishing = true;
        model.tasks().whenIdle(() -> settle(() -> {
            if (refusal != null) {
                return;
            }
            if (request.snapshot() != null) {
                snapshotWriting = true;
                PngSnapshot.writeInBackground(scene, request.snapshot(), snapshotCommit, this::snapshotEnded);
                return;
            }
            powerOff();
        }));
    }

    /**
     * FX thread, once the snapshot's write ended (off the FX thread): said "wrote" when the file is in place, then
     * the guest powered off; or, when the demo was refused meanwhile, each file it did not write named and the end.
     */
    private void snapshotEnded(Throwable failure) {
        snapshotWriting = false;
        if (failure == null) {
            snapshotWritten = true;
            say("wrote " + request.snapshot());
        }
        if (refusal != null) {
            refusedFiles();
        } else if (failure instanceof IOException) {
            refuse("cannot write " + request.snapshot() + ": " + failure.getMessage());
        } else if (failure != null) {
            // A bug in the encoding (not the file): the FX thread's handler ends the demo with it (fail).
            throw new IllegalStateException("writing " + request.snapshot() + " failed", failure);
        } else {
            powerOff();
        }
    }

    private void powerOff() {
        say("powering the guest off");
        vm.stop().thenRun(() -> Platform.runLater(() -> when(sessions::liveRunsSettled, LIVE_RUNS_SECONDS,
                () -> model.tasks().whenIdle(this::save))));
    }

    private void save() {
        if (refusal != null) {
            return;
        }
        say(String.format(Locale.ROOT, "live usb: %s; live vhost: %s", orNothing(model.demo().usbFiguresProperty().get()),
                orNothing(model.demo().vhostFiguresProperty().get())));
        if (demo.saveSession() == null) {
            end();
            return;
        }
        save = sessions.save(demo.saveSession(), commit, () -> {
            sayWhatTheSaveLeft();
            end();
        });
        if (save == null) {
            refuse("no session to save");
            return;
        }
        saveSubmittedForTests.accept(save);
    }

    /**
     * Names the session's file by its fate, once its save ended: "saved" when the saving thread put it in place,
     * whatever failed after that (the save's own callback, or a task failing before the save's result came), else
     * "not writing".
     */
    private void sayWhatTheSaveLeft() {
        if (saveSaid) {
            return;
        }
        saveSaid = true;
        if (commit.isPlaced()) {
            say("saved " + demo.saveSession());
        } else {
            notWriting(demo.saveSession());
        }
    }

    private void notWriting(Path file) {
        System.err.println("demo: not writing " + file + ": " + refusal);
    }

    private void end() {
        exit(refusal != null ? 1 : 0, refusal);
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
                refuse("the live runs did not take the last batches within " + (int) seconds + " s");
            } else {
                after(0.1, check[0]);
            }
        };
        check[0].run();
    }

    /**
     * Runs {@code then} once {@code task} finished (its callbacks run), checking every 100 ms without a limit: a save
     * ends by itself, written or failed, and until it did nobody can say whether its file exists.
     */
    private static void whenFinished(TaskHandle<?> task, Runnable then) {
        if (task.isFinished()) {
            then.run();
        } else {
            after(0.1, () -> whenFinished(task, then));
        }
    }

    private static void say(String line) {
        System.out.println("demo: " + line);
        System.out.flush();
    }

    private void exit(int code, String message) {
        if (ended) {
            return;
        }
        ended = true;
        if (message != null) {
            System.err.println("kcov-explorer: " + message);
        }
        ExplorerLauncher.setExitCode(code);
        Platform.exit();
    }
}
