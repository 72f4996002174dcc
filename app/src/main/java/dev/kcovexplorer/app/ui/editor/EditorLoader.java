package dev.kcovexplorer.app.ui.editor;

import dev.kcovexplorer.app.ui.task.Progress;

/**
 * Builds an editor's content for a source path from the current coverage (called off the FX thread).
 * The main view model supplies one per session and composition, so editors never see the model.
 */
@FunctionalInterface
public interface EditorLoader {
    EditorContent load(String path, Progress progress) throws Exception;
}
