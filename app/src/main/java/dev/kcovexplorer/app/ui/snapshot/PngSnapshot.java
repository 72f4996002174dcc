package dev.kcovexplorer.app.ui.snapshot;

import dev.kcovexplorer.kcov.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javax.imageio.ImageIO;

/**
 * Renders a scene or node to a PNG file (for `open --snapshot`, bug reports and the README screenshots).
 * Must be called on the FX thread. The file is written atomically ({@link AtomicFiles}).
 */
public final class PngSnapshot {
    private PngSnapshot() {
    }

    public static void write(Scene scene, Path out) throws IOException {
        write(scene.snapshot(null), out);
    }

    public static void write(Node node, Path out) throws IOException {
        write(node.snapshot(null, null), out);
    }

    public static void write(WritableImage image, Path out) throws IOException {
        int width = (int) image.getWidth();
        int height = (int) image.getHeight();
        int[] pixels = new int[width * height];
        image.getPixelReader().getPixels(0, 0, width, height, PixelFormat.getIntArgbInstance(), pixels, 0, width);
        BufferedImage buffered = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        buffered.setRGB(0, 0, width, height, pixels, 0, width);
        Path target = out.toAbsolutePath();
        // The root directory has no parent: AtomicFiles refuses it as the directory it is.
        if (target.getParent() != null) {
            Files.createDirectories(target.getParent());
        }
        AtomicFiles.write(target, stream -> {
            if (!ImageIO.write(buffered, "png", stream)) {
                throw new IOException("no PNG writer available");
            }
        });
    }
}
