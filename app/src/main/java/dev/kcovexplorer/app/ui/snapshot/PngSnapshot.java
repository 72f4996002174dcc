package dev.kcovexplorer.app.ui.snapshot;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javax.imageio.ImageIO;

/**
 * Renders a scene or node to a PNG file (for `open --snapshot`, bug reports and the README screenshots).
 * Must be called on the FX thread. The file is written next to its destination and renamed into place.
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
        Path directory = target.getParent();
        Files.createDirectories(directory);
        Path temp = Files.createTempFile(directory, ".snapshot-", ".png.tmp");
        try {
            if (!ImageIO.write(buffered, "png", temp.toFile())) {
                throw new IOException("no PNG writer available");
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
