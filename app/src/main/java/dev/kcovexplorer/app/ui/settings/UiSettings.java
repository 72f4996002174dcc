package dev.kcovexplorer.app.ui.settings;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.ArrayList;
import java.util.List;

/**
 * What the window remembers between launches: geometry, splitter positions, theme and recent sessions.
 * Unknown fields are ignored so an older build reads a newer file.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UiSettings(double x, double y, double width, double height, boolean maximized,
                         double leftDivider, double runsDivider, double bottomDivider, String theme,
                         List<String> recentSessions) {
    public static final int MAX_RECENT = 10;

    public static UiSettings defaults() {
        return new UiSettings(Double.NaN, Double.NaN, 1440, 900, false, 0.27, 0.3, 0.72, "light", List.of());
    }

    public UiSettings {
        recentSessions = recentSessions == null ? List.of() : List.copyOf(recentSessions);
        theme = "dark".equals(theme) ? "dark" : "light";
    }

    /** These settings with {@code session} first in the recent list (deduplicated, at most {@link #MAX_RECENT}). */
    public UiSettings withRecent(String session) {
        List<String> recent = new ArrayList<>(recentSessions);
        recent.remove(session);
        recent.add(0, session);
        while (recent.size() > MAX_RECENT) {
            recent.remove(recent.size() - 1);
        }
        return new UiSettings(x, y, width, height, maximized, leftDivider, runsDivider, bottomDivider, theme, recent);
    }

    public UiSettings withTheme(String newTheme) {
        return new UiSettings(x, y, width, height, maximized, leftDivider, runsDivider, bottomDivider, newTheme,
                recentSessions);
    }

    public UiSettings withLayout(double newX, double newY, double newWidth, double newHeight, boolean newMaximized,
                                 double newLeft, double newRuns, double newBottom) {
        return new UiSettings(newX, newY, newWidth, newHeight, newMaximized, newLeft, newRuns, newBottom, theme,
                recentSessions);
    }
}
