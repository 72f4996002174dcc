package dev.kcovexplorer.app.ui;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the bundled demo session {@code sample-data/demo/demo.kcovx} of the checkout the app runs from. */
public final class DemoSession {
    static final String RELATIVE = "sample-data/demo/demo.kcovx";
    /** What the demo opens on: USB remote coverage collected around hub_event()'s work. */
    public static final String START_VIEW = "editor:drivers/usb/core/hub.c@hub_event";

    private DemoSession() {
    }

    /** The demo next to the running jar (app/target/app.jar → repository root), if it exists. */
    public static Optional<Path> locate() {
        try {
            Path code = Path.of(DemoSession.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = code; dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve(RELATIVE);
                if (Files.isRegularFile(candidate)) {
                    return Optional.of(candidate);
                }
            }
        } catch (URISyntaxException | SecurityException | NullPointerException unknownLocation) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
