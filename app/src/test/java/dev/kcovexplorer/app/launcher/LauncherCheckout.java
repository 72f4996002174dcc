package dev.kcovexplorer.app.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;

/**
 * A copy of the root launcher {@code ./kcov-explorer} in a checkout that is built as far as the launcher can tell:
 * its app.jar holds a main class that prints whether JavaFX is a named module of the JVM it was started in and the
 * JVM's options, and exits 0, so that a start records the checkout's class-data archive as the real window does.
 */
final class LauncherCheckout {
    private LauncherCheckout() {
    }

    /**
     * Makes {@code checkout} such a checkout: the launcher, then the jar and the mark of a finished build, last, so
     * that whatever the caller put in app/target/lib before is older than the mark. Returns the launcher.
     */
    static Path built(Path checkout) throws Exception {
        Path launcher = Files.createDirectories(checkout).resolve("kcov-explorer");
        Files.copy(Path.of("..", "kcov-explorer"), launcher);
        launcher.toFile().setExecutable(true, false);
        Path target = Files.createDirectories(checkout.resolve("app/target"));
        Path source = Files.createDirectories(target.resolve("test-src/dev/kcovexplorer/app")).resolve("Main.java");
        Files.writeString(source, "package dev.kcovexplorer.app;\npublic class Main { public static void main(String[] a) {"
                + " System.out.println(\"JavaFX as a named module: \" + ModuleLayer.boot().findModule(\"javafx.graphics\")"
                + ".isPresent()); for (String option : java.lang.management.ManagementFactory.getRuntimeMXBean()"
                + ".getInputArguments()) System.out.println(\"option: \" + option); } }\n");
        Path classes = Files.createDirectories(classes(checkout));
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                source.toString())).isZero();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(target.resolve("app.jar")), manifest)) {
            jar.putNextEntry(new JarEntry("dev/kcovexplorer/app/Main.class"));
            jar.write(Files.readAllBytes(classes.resolve("dev/kcovexplorer/app/Main.class")));
            jar.closeEntry();
        }
        // A library, as a build copies them there: the launcher names the archive after the jars' times and sizes,
        // and where app/target/lib holds none, GNU stat fails and its fallback (BSD's stat -f) prints the file
        // system's free space, another name at every start.
        try (JarOutputStream library = new JarOutputStream(Files.newOutputStream(
                Files.createDirectories(target.resolve("lib")).resolve("library.jar")), manifest)) {
            library.flush();
        }
        Files.createFile(target.resolve(LauncherBuildTest.BUILD_DONE));
        return launcher;
    }

    /** Where {@link #built} compiled the main class, for a JVM started without the launcher. */
    static Path classes(Path checkout) {
        return checkout.resolve("app/target/classes");
    }
}
