package dev.kcovexplorer.app.ui;

import java.nio.file.Path;

/**
 * Opens sessions and kernels into the window's view models. Reading sessions, dumps and kernel images
 * comes with the coverage model; until it is on main this controller only reports that.
 */
final class SessionController {
    private final MainViewModel model;

    SessionController(MainViewModel model) {
        this.model = model;
    }

    void open(LaunchRequest request) {
        model.setWarning("this build cannot read sessions or kernels yet (the coverage model is not merged)");
    }

    void openSession(Path file) {
        open(new LaunchRequest(file, null, null, java.util.List.of(), null, null));
    }
}
