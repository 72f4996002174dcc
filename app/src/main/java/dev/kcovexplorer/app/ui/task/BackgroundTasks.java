package dev.kcovexplorer.app.ui.task;

import dev.kcovexplorer.app.model.ErrorText;
import dev.kcovexplorer.kcov.Printable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The one way the window runs slow work: off the UI thread on a small worker pool, with progress and
 * cancellation, results and failures delivered back on the UI thread. The status bar binds to the
 * read-only properties; view models submit work and never touch threads themselves.
 *
 * <p>The UI thread is an {@link Executor} so view models can be tested without a toolkit: tests pass
 * {@code Runnable::run} and wait on {@link TaskHandle#await}. Properties change only on that executor.
 */
public final class BackgroundTasks implements AutoCloseable {
    /** A task's failure handler for work whose failure is shown as the {@link #lastFailureProperty last failure} alone. */
    private static final Consumer<Throwable> ONLY_THE_LAST_FAILURE = error -> { };
    private final Executor uiThread;
    private final ExecutorService workers;
    private final Object lock = new Object();
    private boolean closed;
    private final List<TaskHandle<?>> running = new ArrayList<>();
    /** The running tasks {@link #whenSettled} does not wait for ({@link #submitUnwaited}). */
    private final List<TaskHandle<?>> unwaited = new ArrayList<>();
    private final Map<String, TaskHandle<?>> latestByKey = new HashMap<>();
    /** The key each running {@link #submitLatest} task was submitted with, superseded ones too. */
    private final Map<TaskHandle<?>, String> keyOf = new HashMap<>();
    /** The keys whose tasks' results wait in {@link #heldResults} ({@link #holdResults}). */
    private Set<String> heldKeys = Set.of();
    private final List<Runnable> heldResults = new ArrayList<>();
    private final List<Runnable> idleActions = new ArrayList<>();
    private final List<SettledAction> settledActions = new ArrayList<>();
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", 0);
    private final ReadOnlyStringWrapper lastFailure = new ReadOnlyStringWrapper(this, "lastFailure", "");
    private final ReadOnlyIntegerWrapper failures = new ReadOnlyIntegerWrapper(this, "failures");

    public BackgroundTasks(Executor uiThread, int workerThreads) {
        this.uiThread = uiThread;
        this.workers = Executors.newFixedThreadPool(workerThreads, daemonThreads());
    }

    /** Two workers (the machines this runs on often have two cores), results straight to the FX thread. */
    public static BackgroundTasks onFxThread() {
        return new BackgroundTasks(Platform::runLater, 2);
    }

    /** The UI thread, for view models with their own background sources (the Live window's agent). */
    public Executor uiThread() {
        return uiThread;
    }

    /** Runs {@code work} off the UI thread; {@code onSuccess} runs on the UI thread. Failures go to {@link #lastFailureProperty()}. */
    public <T> TaskHandle<T> submit(String title, BackgroundWork<T> work, Consumer<? super T> onSuccess) {
        return submit(title, work, onSuccess, ONLY_THE_LAST_FAILURE);
    }

    /**
     * Like {@link #submit(String, BackgroundWork, Consumer)}, and {@code onFailure} shows a failure its own way (an
     * editor's banner) after it became the {@link #lastFailureProperty last failure}.
     */
    public <T> TaskHandle<T> submit(String title, BackgroundWork<T> work, Consumer<? super T> onSuccess,
                                    Consumer<Throwable> onFailure) {
        return submit(title, work, onSuccess, onFailure, true, null);
    }

    /**
     * Like {@link #submit}, for work that completes something nobody needs to wait on and may take minutes
     * (unpacking the rest of a source tarball): shown, cancellable and waited for by {@link #whenIdle} like any
     * task, but not by {@link #whenSettled}.
     */
    public <T> TaskHandle<T> submitUnwaited(String title, BackgroundWork<T> work, Consumer<? super T> onSuccess) {
        return submit(title, work, onSuccess, ONLY_THE_LAST_FAILURE, false, null);
    }

    private <T> TaskHandle<T> submit(String title, BackgroundWork<T> work, Consumer<? super T> onSuccess,
                                     Consumer<Throwable> onFailure, boolean waited, String key) {
        TaskHandle<?>[] self = new TaskHandle<?>[1];
        TaskHandle<T> handle = new TaskHandle<>(title, () -> onUiThread(() -> publish(self[0])));
        self[0] = handle;
        synchronized (lock) {
            if (closed) {
                // A callback of work that finished while the window closed (a live run's last write, the
                // sources' next step): nothing is shown any more, so it is dropped, not an error.
                handle.cancel();
                handle.markFinished();
                return handle;
            }
            running.add(handle);
            if (!waited) {
                unwaited.add(handle);
            }
            if (key != null) {
                keyOf.put(handle, key);
            }
        }
        onUiThread(() -> publish(handle));
        workers.execute(() -> execute(handle, work, onSuccess, onFailure));
        return handle;
    }

    /**
     * Like {@link #submit} but cancels the previous unfinished task with the same key first: for requests
     * where only the newest matters (restyling an editor, re-evaluating an expression being typed).
     */
    public <T> TaskHandle<T> submitLatest(String key, String title, BackgroundWork<T> work,
                                          Consumer<? super T> onSuccess) {
        return submitLatest(key, title, work, onSuccess, ONLY_THE_LAST_FAILURE);
    }

    public <T> TaskHandle<T> submitLatest(String key, String title, BackgroundWork<T> work,
                                          Consumer<? super T> onSuccess, Consumer<Throwable> onFailure) {
        TaskHandle<?> previous;
        synchronized (lock) {
            previous = latestByKey.get(key);
        }
        if (previous != null) {
            previous.cancel();
        }
        TaskHandle<T> handle = submit(title, work, onSuccess, onFailure, true, key);
        synchronized (lock) {
            if (!handle.isFinished()) {
                latestByKey.put(key, handle);
            }
        }
        return handle;
    }

    /**
     * Runs {@code action} on the UI thread in a later event (a later pulse), counted as running work until
     * then: splits a large update of several views so no single event holds the FX thread for long.
     */
    public void defer(String title, Runnable action) {
        submit(title, progress -> null, nothing -> action.run());
    }

    /** Runs {@code action} on the UI thread as soon as no task is running (now, if idle). */
    public void whenIdle(Runnable action) {
        boolean idle;
        synchronized (lock) {
            idle = running.isEmpty();
            if (!idle) {
                idleActions.add(action);
            }
        }
        if (idle) {
            onUiThread(action);
        }
    }

    /**
     * Runs {@code action} on the UI thread as soon as no task is running but {@link #submitUnwaited unwaited} ones
     * (now, if so): for what a user waits on, such as the view a window opens at.
     */
    public void whenSettled(Runnable action) {
        whenSettledBut(Set.of(), action);
    }

    /**
     * Like {@link #whenSettled}, not waiting for the {@link #submitLatest latest} tasks of the keys {@code aside} either:
     * for a view that does not show their results (the editor a window opens at needs neither the project tree's nor
     * the Coverage over Time curves').
     */
    public void whenSettledBut(Set<String> aside, Runnable action) {
        SettledAction waiting = new SettledAction(aside, action);
        boolean settled;
        synchronized (lock) {
            settled = waiting.isSettled();
            if (!settled) {
                settledActions.add(waiting);
            }
        }
        if (settled) {
            onUiThread(action);
        }
    }

    /** An action of {@link #whenSettledBut}, and the keys of the tasks it does not wait for. */
    private final class SettledAction {
        private final Set<String> aside;
        private final Runnable action;

        SettledAction(Set<String> aside, Runnable action) {
            this.aside = aside;
            this.action = action;
        }

        /** Called with the lock held. */
        boolean isSettled() {
            for (TaskHandle<?> task : running) {
                String key = keyOf.get(task);
                if (!unwaited.contains(task) && (key == null || !aside.contains(key))) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Keeps the results of the {@link #submitLatest latest} tasks of {@code keys} back until {@link #releaseResults}: the
     * UI thread hands results over in the order they came, and the project tree's (34 ms of FX CPU) and the Coverage
     * over Time curves' (27 ms), done before the start view's editor content, took their gaps ahead of it. Held, they
     * are still running for {@link #whenSettled} and {@link #whenIdle}.
     */
    public void holdResults(Set<String> keys) {
        synchronized (lock) {
            heldKeys = Set.copyOf(keys);
        }
    }

    /** Hands the results held back to the UI thread, in the order they came, and holds no more. */
    public void releaseResults() {
        List<Runnable> released;
        synchronized (lock) {
            heldKeys = Set.of();
            released = new ArrayList<>(heldResults);
            heldResults.clear();
        }
        released.forEach(this::onUiThread);
    }

    public void cancelAll() {
        List<TaskHandle<?>> copy;
        synchronized (lock) {
            copy = new ArrayList<>(running);
        }
        copy.forEach(TaskHandle::cancel);
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** Title and message of the newest running task, "" when idle. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** Fraction done of the newest running task, -1 when unknown, 0 when idle. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /**
     * The last failure of any task as one line ("Open session: no such file: x.kcovx"), "" before any; never cleared,
     * so that what must not follow a failure (a headless snapshot's picture) can ask whether there was one.
     */
    public ReadOnlyStringProperty lastFailureProperty() {
        return lastFailure.getReadOnlyProperty();
    }

    /**
     * How many tasks failed so far, counted after {@link #lastFailureProperty} took each: what must hear every failure
     * (the warning line, a demo's log) listens here, since a failure worded as the one before leaves the last failure
     * unchanged and tells its listeners nothing.
     */
    public ReadOnlyIntegerProperty failuresProperty() {
        return failures.getReadOnlyProperty();
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        cancelAll();
        workers.shutdownNow();
    }

    private <T> void execute(TaskHandle<T> handle, BackgroundWork<T> work, Consumer<? super T> onSuccess,
                             Consumer<Throwable> onFailure) {
        T result;
        Throwable failure = null;
        try {
            handle.checkCancelled();
            result = work.run(handle);
        } catch (Throwable t) {
            result = null;
            failure = t;
        }
        T value = result;
        Throwable error = failure;
        Runnable delivery = () -> {
            try {
                if (handle.isCancelled() || error instanceof CancellationException) {
                    return;
                }
                if (error == null) {
                    onSuccess.accept(value);
                } else {
                    // The last failure whatever handler shows it: a failure shown only in an editor's banner left a
                    // headless snapshot of that editor exiting 0, its picture looking complete.
                    Throwable cause = unwrap(error);
                    failed(failureLine(handle, cause));
                    onFailure.accept(cause);
                }
            } catch (RuntimeException callbackFailure) {
                failed(failureLine(handle, callbackFailure));
            } finally {
                finish(handle);
            }
        };
        boolean held;
        synchronized (lock) {
            String key = keyOf.get(handle);
            held = key != null && heldKeys.contains(key);
            if (held) {
                heldResults.add(delivery);
            }
        }
        if (!held) {
            onUiThread(delivery);
        }
    }

    /**
     * Hands {@code action} to the UI thread. Once that is gone (the window closed, a test's executor shut
     * down) there is nothing left to update, so work still finishing then is dropped, not an error.
     */
    private void onUiThread(Runnable action) {
        try {
            uiThread.execute(action);
        } catch (RejectedExecutionException uiGone) {
            // nothing shows this work any more
        }
    }

    private void finish(TaskHandle<?> handle) {
        List<Runnable> toRun = new ArrayList<>();
        synchronized (lock) {
            running.remove(handle);
            unwaited.remove(handle);
            latestByKey.values().remove(handle);
            for (Iterator<SettledAction> waiting = settledActions.iterator(); waiting.hasNext(); ) {
                SettledAction next = waiting.next();
                if (next.isSettled()) {
                    toRun.add(next.action);
                    waiting.remove();
                }
            }
            keyOf.remove(handle);
            if (running.isEmpty()) {
                toRun.addAll(idleActions);
                idleActions.clear();
            }
        }
        handle.markFinished();
        publish(null);
        // Each in an event of its own, behind the pulse the finished task's update asked for.
        toRun.forEach(uiThread::execute);
    }

    /** Runs on the UI thread: mirrors the newest running task into the properties. */
    private void publish(TaskHandle<?> changed) {
        if (changed != null) {
            changed.changeDelivered();
        }
        TaskHandle<?> newest;
        int others;
        synchronized (lock) {
            newest = null;
            for (int i = running.size() - 1; i >= 0; i--) {
                if (!running.get(i).isCancelled()) {
                    newest = running.get(i);
                    break;
                }
            }
            others = running.size() - 1;
        }
        busy.set(newest != null);
        if (newest == null) {
            message.set("");
            progress.set(0);
            return;
        }
        String text = newest.message().isEmpty() ? newest.title() : newest.title() + ": " + newest.message();
        message.set(others > 0 ? text + " (+" + others + " more)" : text);
        progress.set(newest.fraction());
    }

    /** UI thread. */
    private void failed(String line) {
        lastFailure.set(line);
        failures.set(failures.get() + 1);
    }

    /**
     * "title: what went wrong", escaped as {@link #describe} escapes the second half: a title quotes a file's name (an
     * editor's, which a session's DWARF names), and a headless snapshot or a demo prints the last failure to a terminal.
     */
    private static String failureLine(TaskHandle<?> handle, Throwable failure) {
        return Printable.of(handle.title()) + ": " + describe(failure);
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof ExecutionException && t.getCause() != null ? t.getCause() : t;
    }

    /** One line for a person; the same wording the CLI uses for its errors. */
    public static String describe(Throwable t) {
        return ErrorText.of(t);
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "kcov-explorer-worker-" + count.incrementAndGet());
            t.setDaemon(true);
            t.setPriority(Thread.NORM_PRIORITY - 1);
            return t;
        };
    }
}
