package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.ui.snapshot.PngSnapshot;
import dev.kcovexplorer.app.ui.task.AfterPulses;
import java.io.IOException;
import java.util.function.IntConsumer;
import javafx.animation.AnimationTimer;
import javafx.scene.Scene;

/**
 * `open --snapshot OUT.png [--view …]`: once loading has finished, shows the requested view, waits for
 * that to finish too, lets layout settle, writes the PNG and exits. A task that failed on the way (the status bar's
 * last failure), a start view it cannot show, or a throw on the FX thread ({@link #fail}) is printed in one line and
 * exits 1, no PNG written.
 */
final class HeadlessSnapshot {
    /**
     * Pulses in a row that laid nothing out ({@link PulseLayout}) before the picture is taken: the view's changes put
     * off to later pulses (an editor's first lines are laid out over two, the window's start hands its last changes
     * over two pulses apart) are then on the scene. A fixed 400 ms stood for that: ~24 pulses on an idle machine, a
     * few under load, needed or not.
     */
    private static final int QUIET_PULSES = 3;
    /** Pulses after which a view that keeps changing is taken as it is, and said to be: 2 s at 60 pulses a second. */
    private static final int MOST_PULSES = 120;
    private final MainViewModel model;
    private final MainView view;
    private final Scene scene;
    private final LaunchRequest request;
    private final Runnable shown;
    private final IntConsumer end;
    /** Whether the run has ended: nothing is written after that. */
    private boolean ended;
    /** The PNG is being written: the run ends once that ended. */
    private boolean writing;
    /** What the FX thread threw while the PNG was written, else null. */
    private String failed;
    private final FileCommit commit = new FileCommit();
    /** Asks for pulses while the view settles: a scene with nothing to change has none. */
    private final AnimationTimer pulses = new AnimationTimer() {
        @Override
        public void handle(long now) {
        }
    };

    /**
     * {@code shown} runs once the view has settled, just before the PNG is written; {@code end} ends the run with its
     * exit code.
     */
    HeadlessSnapshot(MainViewModel model, MainView view, Scene scene, LaunchRequest request, Runnable shown,
            IntConsumer end) {
        this.model = model;
        this.view = view;
        this.scene = scene;
        this.request = request;
        this.shown = shown;
        this.end = end;
    }

    void start() {
        model.tasks().whenIdle(() -> {
            if (failed()) {
                return;
            }
            String notShown = StartViews.show(request.view(), model, view);
            if (notShown != null) {
                // The picture would show something else than asked for (the file's top for a function it lacks).
                exit(1, notShown);
                return;
            }
            model.tasks().whenIdle(this::settleThenWrite);
        });
    }

    private void settleThenWrite() {
        PulseLayout layout = new PulseLayout(scene);
        Runnable beforeLayout = layout::before;
        Runnable notePulse = new Runnable() {
            private int quiet;
            private int seen;

            @Override
            public void run() {
                // After this pulse's layout: whether it laid anything out, unmanaged nodes included.
                quiet = layout.laidOut() || model.tasks().busyProperty().get() ? 0 : quiet + 1;
                seen++;
                if (quiet == QUIET_PULSES || seen == MOST_PULSES) {
                    scene.removePreLayoutPulseListener(beforeLayout);
                    scene.removePostLayoutPulseListener(this);
                    pulses.stop();
                    if (quiet < QUIET_PULSES) {
                        System.err.println("kcov-explorer: the view was still changing after " + seen
                                + " pulses; the picture shows it as it was then");
                    }
                    // After this pulse's render: the picture the screen would show.
                    AfterPulses.afterNext(HeadlessSnapshot.this::write);
                }
            }
        };
        scene.addPreLayoutPulseListener(beforeLayout);
        scene.addPostLayoutPulseListener(notePulse);
        pulses.start();
    }

    /**
     * Writes the picture unless a task failed, now or before: one that failed while the view settled (an editor that
     * could not read its file) left the window showing less than asked for, and a PNG written then looked complete to
     * the script that ran this. The PNG is encoded and written off the FX thread; the run ends once that ended.
     */
    private void write() {
        if (ended || failed()) {
            return;
        }
        shown.run();
        writing = true;
        PngSnapshot.writeInBackground(scene, request.snapshot(), commit, this::written);
    }

    /** FX thread, once the PNG's write ended: exit 0, or 1 saying why there is no PNG. */
    private void written(Throwable failure) {
        writing = false;
        if (failed != null) {
            // The FX thread threw while the PNG was written: its line, and no PNG unless it was already going in place
            // (then it is the complete picture taken before the throw, and the status still says something failed).
            exit(1, failed);
        } else if (failure instanceof IOException) {
            exit(1, "cannot write " + request.snapshot() + ": " + failure.getMessage());
        } else if (failure != null) {
            // A bug in the encoding (not the file): the FX thread's handler ends the run with it (fail).
            throw new IllegalStateException("writing " + request.snapshot() + " failed", failure);
        } else {
            exit(0, null);
        }
    }

    /**
     * Ends the run with {@code line}, exit 1, when something failed outside its tasks (the FX thread threw); while the
     * PNG is written, once that ended, with no PNG unless it was already going in place.
     */
    void fail(String line) {
        if (writing) {
            if (failed == null) {
                failed = line;
                commit.refuse();
            }
            return;
        }
        exit(1, line);
    }

    private boolean failed() {
        String failure = model.tasks().lastFailureProperty().get();
        if (failure != null && !failure.isEmpty()) {
            exit(1, failure);
            return true;
        }
        return false;
    }

    private void exit(int code, String message) {
        ended = true;
        if (message != null) {
            System.err.println("kcov-explorer: " + message);
        }
        end.accept(code);
    }
}
