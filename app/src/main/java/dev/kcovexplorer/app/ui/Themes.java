package dev.kcovexplorer.app.ui;

import javafx.scene.Scene;

/** The window's stylesheets: the shared structure plus the light or dark palette. */
public final class Themes {
    private static final String BASE = stylesheet("explorer.css");

    private Themes() {
    }

    public static void apply(Scene scene, String theme) {
        scene.getStylesheets().setAll(stylesheet("dark".equals(theme) ? "dark.css" : "light.css"), BASE);
    }

    private static String stylesheet(String name) {
        var url = Themes.class.getResource(name);
        if (url == null) {
            throw new IllegalStateException("stylesheet " + name + " missing from the application jar");
        }
        return url.toExternalForm();
    }
}
