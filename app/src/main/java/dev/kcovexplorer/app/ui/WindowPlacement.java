package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.ui.settings.UiSettings;
import java.util.List;
import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.stage.Stage;

/**
 * Puts the window where the settings say, as far as today's screens allow: a saved place whose title bar
 * lies on no screen (a monitor unplugged, a geometry written elsewhere) is dropped and the window is
 * centred on the primary screen; a window larger than its screen is shrunk to fit it.
 */
final class WindowPlacement {
    /** How much of the title bar must be on a screen for the user to grab it. */
    private static final double GRIP_WIDTH = 100;
    private static final double GRIP_HEIGHT = 30;

    private WindowPlacement() {
    }

    /**
     * Today's screens, read on the FX thread: the window's place is worked out from them before its view is laid out
     * (on another thread), so that the view is laid out at the size it shows at. Laid out at a saved size larger than
     * the screen and then shrunk, the fixed-width left pane kept its pixels and the dividers came out (and were saved)
     * at other fractions than they were saved at.
     */
    record Screens(List<Rectangle2D> visualBounds, Rectangle2D primary) {
        static Screens now() {
            return new Screens(Screen.getScreens().stream().map(Screen::getVisualBounds).toList(),
                    Screen.getPrimary().getVisualBounds());
        }

        /** Where the window of {@code settings} goes on these screens (its place when not maximized). */
        Rectangle2D place(UiSettings settings) {
            return fit(saved(settings), visualBounds, primary);
        }

        /**
         * The size the window of {@code settings} shows at: its {@link #place}, or for a maximized one the screen
         * that place is on (where maximizing puts it). The view is laid out at this size before the window shows:
         * laid out at the saved size and then maximized, the left pane kept its pixels, as for a shrunk window.
         */
        Rectangle2D shownAt(UiSettings settings) {
            return settings.maximized() ? screenOf(saved(settings), visualBounds, primary) : place(settings);
        }

        private static Rectangle2D saved(UiSettings settings) {
            return new Rectangle2D(settings.x(), settings.y(), settings.width(), settings.height());
        }
    }

    static void restore(Stage stage, Rectangle2D bounds, boolean maximized) {
        stage.setX(bounds.getMinX());
        stage.setY(bounds.getMinY());
        stage.setWidth(bounds.getWidth());
        stage.setHeight(bounds.getHeight());
        stage.setMaximized(maximized);
    }

    /** The saved bounds (x/y NaN = never placed) moved and shrunk onto the screen that holds its title bar. */
    static Rectangle2D fit(Rectangle2D saved, List<Rectangle2D> screens, Rectangle2D primary) {
        Rectangle2D grip = gripScreen(saved, screens);
        boolean centre = grip == null;
        Rectangle2D screen = centre ? primary : grip;
        double width = Math.min(saved.getWidth(), screen.getWidth());
        double height = Math.min(saved.getHeight(), screen.getHeight());
        double x = centre ? screen.getMinX() + (screen.getWidth() - width) / 2 : saved.getMinX();
        double y = centre ? screen.getMinY() + (screen.getHeight() - height) / 2 : saved.getMinY();
        x = Math.max(screen.getMinX(), Math.min(x, screen.getMaxX() - width));
        y = Math.max(screen.getMinY(), Math.min(y, screen.getMaxY() - height));
        return new Rectangle2D(x, y, width, height);
    }

    /** The screen {@link #fit} puts the saved bounds on. */
    private static Rectangle2D screenOf(Rectangle2D saved, List<Rectangle2D> screens, Rectangle2D primary) {
        Rectangle2D grip = gripScreen(saved, screens);
        return grip == null ? primary : grip;
    }

    /** The first screen that holds the saved bounds' title bar; null when none does or they were never placed. */
    private static Rectangle2D gripScreen(Rectangle2D saved, List<Rectangle2D> screens) {
        if (Double.isNaN(saved.getMinX()) || Double.isNaN(saved.getMinY())) {
            return null;
        }
        return screens.stream().filter(screen -> holdsGrip(screen, saved)).findFirst().orElse(null);
    }

    private static boolean holdsGrip(Rectangle2D screen, Rectangle2D window) {
        double left = Math.max(screen.getMinX(), window.getMinX());
        double right = Math.min(screen.getMaxX(), window.getMaxX());
        return right - left >= Math.min(GRIP_WIDTH, window.getWidth())
                && window.getMinY() >= screen.getMinY() && window.getMinY() + GRIP_HEIGHT <= screen.getMaxY();
    }
}
