package dev.kcovexplorer.app.ui;

import static dev.kcovexplorer.app.model.fixture.CampaignFixture.DEMO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.kcovexplorer.app.cli.KcovExplorerCommand;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.session.SessionFile;
import dev.kcovexplorer.app.ui.session.SessionReadAhead;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session reading started before the command line is parsed, on the committed demo session: when the window
 * then names another file, or no window opens at all, it is cancelled (its decode stops at its next step instead of
 * keeping a core busy), and a cancelled reading is never handed out as the file's.
 */
class EarlyReadAheadTest {

    @TempDir
    Path dir;

    @AfterEach
    void noReadingLeft() {
        ExplorerLauncher.cancelEarlyReadAhead();
    }

    /**
     * Interrupted while it builds the session from what it read (the file is read by then, so no interruptible
     * channel notices), the read gives up at its next step instead of decoding every run. The reading thread is
     * interrupted once its stack shows Session.create; a read that finished before it was caught there is run again.
     */
    @Test
    void aReadInterruptedWhileItDecodesGivesUp() throws Exception {
        for (int attempt = 1; attempt <= 20; attempt++) {
            CompletableFuture<Object> outcome = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try {
                    outcome.complete(SessionFile.read(DEMO));
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            }, "interrupted-read");
            reader.start();
            boolean caught = false;
            while (reader.isAlive() && !caught) {
                caught = creatingTheSession(reader);
            }
            if (!caught) {
                continue; // done before it was caught in Session.create
            }
            reader.interrupt();
            reader.join();
            assertThat(outcome.get()).as("attempt " + attempt).isInstanceOf(InterruptedIOException.class);
            assertThat(((Throwable) outcome.get())).hasMessageContaining("demo.kcovx");
            return;
        }
        fail("the read was never caught in Session.create in 20 attempts");
    }

    private static boolean creatingTheSession(Thread reader) {
        for (StackTraceElement frame : reader.getStackTrace()) {
            if (frame.getClassName().equals(Session.class.getName()) && frame.getMethodName().equals("create")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void anEarlyReadingOfAnotherFileIsCancelledAndTheWindowReadsItsOwn() throws Exception {
        Path other = Files.copy(DEMO, dir.resolve("other.kcovx"));
        SessionReadAhead early = ExplorerLauncher.readAheadEarly(DEMO);

        SessionReadAhead taken = ExplorerLauncher.readAheadFor(other);

        assertThat(early.cancelled()).as("the early reading of the file the window does not open").isTrue();
        assertThat(early.reads(DEMO)).as("a cancelled reading reads nothing").isFalse();
        assertThat(taken).isNotSameAs(early);
        assertThat(taken.reads(other)).isTrue();
        assertThat(taken.take().runs()).hasSameSizeAs(SessionFile.read(other).runs());
    }

    @Test
    void anEarlyReadingOfTheSameFileIsTaken() {
        SessionReadAhead early = ExplorerLauncher.readAheadEarly(DEMO);

        assertThat(ExplorerLauncher.readAheadFor(DEMO)).isSameAs(early);
        assertThat(early.cancelled()).isFalse();
    }

    @Test
    void aCancelledReadingHandsOutTheFileReadAfreshNeverItsInterruption() throws Exception {
        SessionReadAhead early = ExplorerLauncher.readAheadEarly(DEMO);
        ExplorerLauncher.cancelEarlyReadAhead();

        assertThat(early.cancelled()).isTrue();
        Session session = early.take();
        assertThat(session.runs()).hasSameSizeAs(SessionFile.read(DEMO).runs()).isNotEmpty();
    }

    /**
     * A command line that fails to parse (or runs a one-shot command) opens no window to take the reading. On a busy
     * machine the reading may be over before the usage error is reported, and a reading that is over cannot be
     * cancelled: what must hold either way is that it reads no more and that no later window is handed it.
     */
    @Test
    void aCommandLineThatOpensNoWindowLeavesNoReadingBehind() {
        SessionReadAhead early = ExplorerLauncher.readAheadEarly(DEMO);

        int status = KcovExplorerCommand.run("session", "info", "--no-such-option");

        assertThat(status).as("a usage error").isNotZero();
        assertThat(early.done()).as("the reading started before it, stopped or over").isTrue();
        SessionReadAhead later = ExplorerLauncher.readAheadFor(DEMO);
        try {
            assertThat(later).as("the reading a later window of the same file is handed").isNotSameAs(early);
        } finally {
            later.cancel();
        }
    }
}
