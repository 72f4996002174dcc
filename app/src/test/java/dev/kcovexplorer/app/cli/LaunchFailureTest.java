package dev.kcovexplorer.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.Main;
import dev.kcovexplorer.testing.Patience;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A window whose start throws an Error (here a class missing, as when a build replaces the program's files while it
 * starts) says what was thrown, not JavaFX's wrapper of it: "kcov-explorer: Exception in Application start method"
 * alone named nothing to look for.
 */
class LaunchFailureTest {
    @TempDir
    Path work;

    @Test
    void anErrorInTheWindowsStartIsNamed() throws Exception {
        Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path broken = work.resolve("classes");
        copyTree(classes, broken);
        String missing = "dev/kcovexplorer/app/ui/WindowPlacement$Screens";
        Files.delete(broken.resolve(missing + ".class"));
        String classPath = Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().equals(classes.toAbsolutePath()) ? broken.toString() : entry)
                .collect(Collectors.joining(java.io.File.pathSeparator));
        String demo = Path.of("..", "sample-data", "demo", "demo.kcovx").toAbsolutePath().normalize().toString();
        Path err = work.resolve("stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, Main.class.getName(), "open", demo, "--snapshot", work.resolve("out.png").toString());
        builder.environment().put("XDG_CONFIG_HOME", work.resolve("config").toString());
        builder.environment().put("XDG_CACHE_HOME", work.resolve("cache").toString());
        builder.redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        assertThat(process.waitFor(Patience.SECONDS, TimeUnit.SECONDS)).as("the broken window's end").isTrue();

        assertThat(process.exitValue()).isEqualTo(1);
        List<String> said = Files.readAllLines(err, StandardCharsets.UTF_8).stream()
                .filter(line -> line.startsWith("kcov-explorer:")).toList();
        assertThat(said).singleElement().asString().isEqualTo("kcov-explorer: the window could not start: "
                + "java.lang.NoClassDefFoundError: " + missing);
        assertThat(work.resolve("out.png")).doesNotExist();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
