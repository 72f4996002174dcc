package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.app.Main;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plain {@code kcov-explorer}, what the menu entry starts, goes to the window without building picocli's
 * command tree (about 0.3 s of CPU in a fresh JVM before the window appears), and still answers like the
 * other commands: without a display, one line that says what to do, and exit status 1.
 */
class WindowWithoutArgumentsTest {
    @TempDir
    Path work;

    @Test
    void noArgumentGoesToTheWindowWithoutLoadingPicocli() throws Exception {
        Path classes = work.resolve("classes.log");
        Path err = work.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xlog:class+load=info:file=" + classes,
                Main.class.getName());
        builder.environment().remove("DISPLAY");
        builder.environment().remove("WAYLAND_DISPLAY");
        builder.environment().put("XDG_CONFIG_HOME", work.resolve("config").toString());
        builder.environment().put("XDG_CACHE_HOME", work.resolve("cache").toString());
        builder.redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("kcov-explorer with no argument ends without a display")
                .isTrue();

        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(Files.readString(err, StandardCharsets.UTF_8))
                .startsWith("kcov-explorer: no display to open the window on (set DISPLAY, or render headless with ")
                .hasLineCount(1);
        List<String> loaded = Files.readAllLines(classes);
        assertThat(loaded).as("the window's launcher was reached")
                .anyMatch(line -> line.contains(" dev.kcovexplorer.app.ui.ExplorerLauncher source:"));
        assertThat(loaded).as("no picocli class on the way").noneMatch(line -> line.contains(" picocli."));
    }
}
