package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.demo.DemoScript;
import dev.kcovexplorer.app.demo.DemoVmOptions;
import java.nio.file.Path;

/**
 * What {@code kcov-explorer demo} asks the window for: boot the demo VM as {@code options} say once the session
 * is shown, then run {@code script} hands-free (or wait for the presenter when null). No JavaFX types, so the
 * CLI can build one.
 *
 * @param settleSeconds after the last action, how long the last batches get before the snapshot
 * @param saveSession   where to save the session (live runs and frozen runs) at the end, or null
 */
public record DemoRequest(DemoVmOptions options, DemoScript script, double settleSeconds, Path saveSession) {
}
