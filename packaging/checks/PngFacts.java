import java.awt.image.BufferedImage;
import java.io.File;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * packaging/test: decodes a PNG completely and prints "WIDTH HEIGHT COLOURS" (distinct RGB values, counted
 * up to 4096), so a check can tell a rendered window or icon from a blank or truncated file.
 */
public final class PngFacts {
    public static void main(String[] args) throws Exception {
        BufferedImage image = ImageIO.read(new File(args[0]));
        if (image == null) {
            System.err.println(args[0] + ": not an image ImageIO can read");
            System.exit(1);
        }
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight() && colours.size() < 4096; y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                colours.add(image.getRGB(x, y) & 0xffffff);
            }
        }
        System.out.println(image.getWidth() + " " + image.getHeight() + " " + colours.size());
    }
}
