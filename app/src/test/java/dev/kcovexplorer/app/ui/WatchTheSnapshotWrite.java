package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.Main;
import dev.kcovexplorer.app.ui.snapshot.PngSnapshot;
import dev.kcovexplorer.app.ui.task.BackgroundTasks;
import dev.kcovexplorer.kcov.AtomicFiles;
import dev.kcovexplorer.testing.Patience;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import javafx.application.Platform;
import javax.imageio.ImageIO;

/**
 * kcov-explorer's {@link Main} whose snapshot goes to a FIFO nobody reads yet, watched from inside the JVM: {@code
 * WatchTheSnapshotWrite FIFO [fail] ARGS…} (ARGS naming FIFO as the snapshot). A watcher finds the thread held opening
 * the FIFO (in {@link AtomicFiles}' write), asks the FX thread to run a runLater while it is held (with {@code fail},
 * then has a task fail and waits until the FX thread saw it), then reads the FIFO and says on standard error which
 * thread wrote, whether the FX thread ran meanwhile, and the size of the PNG it read, for the test that runs it in a
 * JVM of its own.
 */
public final class WatchTheSnapshotWrite {
    static final String FX_THREAD = "JavaFX Application Thread";

    private WatchTheSnapshotWrite() {
    }

    public static void main(String[] args) {
        Path fifo = Path.of(args[0]);
        boolean fail = args[1].equals("fail");
        AtomicReference<MainViewModel> model = new AtomicReference<>();
        ExplorerApp.modelMadeForTests = model::set;
        Thread watcher = new Thread(() -> watch(fifo, fail ? model : null), "snapshot watcher");
        watcher.setDaemon(true);
        // The command exits as soon as the PNG is written, which is when the FIFO is read: the JVM's exit waits for the
        // watcher to say what it read. ImageIO decodes from memory: its cache file is closed by an exit hook of its own.
        ImageIO.setUseCache(false);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> joinQuietly(watcher)));
        watcher.start();
        Main.main(Arrays.copyOfRange(args, fail ? 2 : 1, args.length));
    }

    /** {@code failing}: the model (made by then) whose task is to fail while the snapshot is written, else null. */
    private static void watch(Path fifo, AtomicReference<MainViewModel> failing) {
        try {
            Thread writer = heldWriter();
            // The FX thread is the writer: nothing it is handed runs until the write ended, which needs this read.
            boolean fxRan = !writer.getName().equals(FX_THREAD) && onFx(() -> true);
            System.err.println("watch: written by " + writer.getName() + ", the FX thread ran meanwhile: " + fxRan);
            if (fxRan && failing != null) {
                BackgroundTasks tasks = failing.get().tasks();
                tasks.submit("Failing", progress -> {
                    throw new IOException("failed while the snapshot was written");
                }, nothing -> { });
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Patience.SECONDS);
                boolean seen = false;
                while (!(seen = onFx(() -> tasks.failuresProperty().get() > 0)) && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                // Said either way, then the PNG read: a failure never seen ended the child only by the parent's limit.
                System.err.println(seen ? "watch: the FX thread saw a task fail while the snapshot was written"
                        : "watch: no task failure reached the FX thread within " + Patience.SECONDS + " s");
            }
            BufferedImage png = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(fifo)));
            System.err.println("watch: read a " + png.getWidth() + "x" + png.getHeight() + " PNG");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code question}'s answer on the FX thread; false when it gave none within the patience. */
    private static boolean onFx(BooleanSupplier question) throws InterruptedException {
        CountDownLatch answered = new CountDownLatch(1);
        AtomicBoolean answer = new AtomicBoolean();
        Platform.runLater(() -> {
            answer.set(question.getAsBoolean());
            answered.countDown();
        });
        return answered.await(Patience.SECONDS, TimeUnit.SECONDS) && answer.get();
    }

    private static void joinQuietly(Thread watcher) {
        try {
            watcher.join(TimeUnit.SECONDS.toMillis(Patience.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The thread writing the PNG through to the FIFO (AtomicFiles' writeThrough under PngSnapshot), waited for: it is
     * held opening the FIFO until the FIFO is read.
     */
    private static Thread heldWriter() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Patience.SECONDS);
        while (System.nanoTime() < deadline) {
            for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
                StackTraceElement[] frames = thread.getValue();
                if (Arrays.stream(frames).anyMatch(frame -> frame.getClassName().equals(AtomicFiles.class.getName())
                        && frame.getMethodName().equals("writeThrough"))
                        && Arrays.stream(frames).anyMatch(frame ->
                                frame.getClassName().startsWith(PngSnapshot.class.getName()))) {
                    return thread.getKey();
                }
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("nobody wrote the snapshot within " + Patience.SECONDS + " s");
    }
}
