package dev.kcovexplorer.app.ui.snapshot;

import dev.kcovexplorer.kcov.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javax.imageio.ImageIO;

/**
 * Renders a scene or node to a PNG file (for `open --snapshot`, bug reports and the README screenshots). The picture is
 * taken on the FX thread; the file is written atomically ({@link AtomicFiles}), by the window off the FX thread
 * ({@link #writeInBackground}): encoding the window's 1600x1000 PNG took 70-120 ms in a fresh JVM (29-32 ms once warm),
 * and a slow disk, an NFS home or a FIFO nobody reads yet holds the write as long as it likes.
 */
public final class PngSnapshot {
    private PngSnapshot() {
    }

    /** FX thread: writes the scene as it is now, the PNG encoded and written on the calling thread (tests). */
    public static void write(Scene scene, Path out) throws IOException {
        take(scene).write(out, () -> true);
    }

    /** FX thread: as {@link #write(Scene, Path)}, for one node. */
    public static void write(Node node, Path out) throws IOException {
        picture(node.snapshot(null, null)).write(out, () -> true);
    }

    /**
     * FX thread: takes the scene's picture now, then encodes and writes it to {@code out} on a thread of its own, the
     * file put in place only when {@code commit} says yes once it is complete ({@link AtomicFiles#write(Path,
     * AtomicFiles.Content, AtomicFiles.Commit)}). {@code ended} runs on the FX thread once the write
     * ended, with null when the file is written, else what stopped it (a {@link java.util.concurrent.CancellationException}
     * when {@code commit} said no).
     */
    public static void writeInBackground(Scene scene, Path out, AtomicFiles.Commit commit,
                                         Consumer<Throwable> ended) {
        Picture picture = take(scene);
        CompletableFuture<Void> written = new CompletableFuture<>();
        Thread writer = new Thread(() -> {
            try {
                picture.write(out, commit);
                written.complete(null);
            } catch (Throwable t) {
                written.completeExceptionally(t);
            }
        }, "PNG snapshot " + out.getFileName());
        writer.setDaemon(true);
        written.whenComplete((nothing, failure) -> Platform.runLater(() -> ended.accept(failure)));
        writer.start();
    }

    /** FX thread: the scene's pixels, copied out of the toolkit's image so any thread can encode them. */
    private static Picture take(Scene scene) {
        return picture(scene.snapshot(null));
    }

    private static Picture picture(WritableImage image) {
        int width = (int) image.getWidth();
        int height = (int) image.getHeight();
        int[] pixels = new int[width * height];
        image.getPixelReader().getPixels(0, 0, width, height, PixelFormat.getIntArgbInstance(), pixels, 0, width);
        return new Picture(width, height, pixels);
    }

    /** A picture's ARGB pixels, row by row. */
    private record Picture(int width, int height, int[] argb) {
        void write(Path out, AtomicFiles.Commit commit) throws IOException {
            BufferedImage buffered = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            buffered.setRGB(0, 0, width, height, argb, 0, width);
            Path target = out.toAbsolutePath();
            // The root directory has no parent: AtomicFiles refuses it as the directory it is.
            if (target.getParent() != null) {
                Files.createDirectories(target.getParent());
            }
            AtomicFiles.write(target, stream -> {
                if (!ImageIO.write(buffered, "png", stream)) {
                    throw new IOException("no PNG writer available");
                }
            }, commit);
        }
    }
}
