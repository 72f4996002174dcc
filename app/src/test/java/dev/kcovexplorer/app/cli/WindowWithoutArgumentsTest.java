package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.app.Main;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
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

    /**
     * A DISPLAY that names no server (a stopped Xvfb, one left from an ssh session) was "Unable to open DISPLAY",
     * GTK's words, which named neither the display nor what to do. The window alone and {@code open SESSION} (whose
     * toolkit starts early, beside the parsing) say the same.
     */
    @Test
    void aDisplayThatCannotBeOpenedIsNamedWithWhatToDo() throws Exception {
        String display = ":" + IntStream.iterate(9999, n -> n - 1)
                .filter(n -> Files.notExists(Path.of("/tmp/.X11-unix/X" + n))).findFirst().orElseThrow();
        String demo = Path.of("..", "sample-data", "demo", "demo.kcovx").toAbsolutePath().normalize().toString();
        for (List<String> arguments : List.of(List.<String>of(), List.of("open", demo))) {
            Path err = work.resolve("stderr" + arguments.size() + ".txt");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName()));
            command.addAll(arguments);
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().put("DISPLAY", display);
            builder.environment().remove("WAYLAND_DISPLAY");
            builder.environment().put("XDG_CONFIG_HOME", work.resolve("config").toString());
            builder.environment().put("XDG_CACHE_HOME", work.resolve("cache").toString());
            builder.redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            Process process = builder.start();
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("kcov-explorer %s ends without its display", arguments)
                    .isTrue();

            assertThat(process.exitValue()).as("%s", arguments).isEqualTo(1);
            // The class path of this JVM, unlike the launcher's module path, also gets JavaFX's configuration warning.
            List<String> said = Files.readAllLines(err, StandardCharsets.UTF_8).stream()
                    .filter(line -> line.startsWith("kcov-explorer:")).toList();
            assertThat(said).as("%s", arguments).singleElement().asString()
                    .startsWith("kcov-explorer: cannot open the display " + display + " (is an X server running there, "
                            + "and may this user connect to it?); render headless with `kcov-explorer open ");
        }
    }
}
