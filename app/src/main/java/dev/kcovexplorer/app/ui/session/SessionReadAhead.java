package dev.kcovexplorer.app.ui.session;

import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.session.SessionFile;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * A session file read on a thread of its own from the moment the command line names it: in a fresh JVM the
 * toolkit's start and the window's construction take a second and more, during which the session's index
 * decodes on the other core instead of after them. The window's loading task takes the session (or the
 * reading's failure, unchanged) when it gets there; nothing is shown before that.
 */
public final class SessionReadAhead {
    private final Path file;
    private final FutureTask<Session> reading;

    private SessionReadAhead(Path file) {
        this.file = file;
        this.reading = new FutureTask<>(() -> SessionFile.read(file));
    }

    /** Starts reading {@code file}. */
    public static SessionReadAhead start(Path file) {
        SessionReadAhead ahead = new SessionReadAhead(file);
        Thread thread = new Thread(ahead.reading, "session-read-ahead");
        thread.setDaemon(true); // a window closed meanwhile does not wait for it
        thread.start();
        return ahead;
    }

    /** Whether this is the reading of {@code session}, and it has not been cancelled. */
    public boolean reads(Path session) {
        return !cancelled() && file.equals(session);
    }

    /**
     * Stops the reading: its thread is interrupted, and {@link SessionFile#read} gives up at its next step, so a
     * reading nobody will take does not keep a core busy for half a second.
     */
    public void cancel() {
        reading.cancel(true);
    }

    /** Whether {@link #cancel} stopped it. */
    public boolean cancelled() {
        return reading.isCancelled();
    }

    /** Whether it no longer reads: cancelled, or over (read or failed) before anything could cancel it. */
    public boolean done() {
        return reading.isDone();
    }

    /**
     * The session once read; throws what {@link SessionFile#read} threw. A cancelled reading's outcome (a failure
     * to read, because it was stopped) is never handed out as the file's: the file is read here instead.
     */
    public Session take() throws IOException {
        if (cancelled()) {
            return SessionFile.read(file);
        }
        try {
            return reading.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while " + file + " was read");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(cause);
        }
    }
}
