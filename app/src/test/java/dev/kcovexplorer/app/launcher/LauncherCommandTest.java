package dev.kcovexplorer.app.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.testing.ChildProcesses;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The root launcher {@code ./kcov-explorer} knows a window command also after the option picocli takes before a
 * command ({@code --debug open …}): it loads JavaFX from the module path for it, as for {@code open …}, instead
 * of the class path (where JavaFX warns "Unsupported JavaFX configuration" at every start); and it hands the JVM
 * the words of {@code KCOV_EXPLORER_JAVA_OPTS} as the JDK's own java splits {@code JDK_JAVA_OPTIONS}. Run in a copy
 * of the checkout, built as far as the launcher can tell, whose app.jar holds a main class that prints whether
 * JavaFX is a named module of the JVM it was started in and the JVM's options, beside the real openjfx jars of this
 * build.
 */
class LauncherCommandTest {
    @TempDir
    static Path work;
    private static Path launcher;

    @BeforeAll
    static void checkout() throws Exception {
        Path lib = Files.createDirectories(work.resolve("checkout/app/target/lib"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            if (jar.getFileName().toString().matches("javafx-(base|controls|graphics)-.*-linux\\.jar")) {
                Files.copy(jar, lib.resolve(jar.getFileName()));
            }
        }
        try (var fx = Files.list(lib)) {
            assertThat(fx).as("openjfx's platform jars on the test class path").hasSize(3);
        }
        launcher = LauncherCheckout.built(work.resolve("checkout"));
    }

    @Test
    void aWindowCommandAfterTheDebugOptionLoadsJavaFxAsModules() throws Exception {
        assertThat(run("open", "x.kcovx")).as("open").isEqualTo("JavaFX as a named module: true");
        assertThat(run("--debug", "open", "x.kcovx")).as("--debug open").isEqualTo("JavaFX as a named module: true");
        assertThat(run("--debug=true", "x.kcovx")).as("--debug=true SESSION").isEqualTo("JavaFX as a named module: true");
        assertThat(run("--debug", "info", "x.kcov")).as("--debug info").isEqualTo("JavaFX as a named module: false");
    }

    /**
     * The window compiles at lowered thresholds: its warm-up (WindowWarmUp) lays out one screen of throwaway paragraphs
     * instead of three because of them. The one-shot commands keep the JDK's.
     */
    @Test
    void theWindowsJvmCompilesAtLoweredThresholds() throws Exception {
        assertThat(options(run(Map.of(), "open", "x.kcovx").output)).as("open")
                .anyMatch(option -> option.startsWith("-XX:CompileThresholdScaling="));
        assertThat(options(run(Map.of(), "info", "x.kcov").output)).as("info")
                .noneMatch(option -> option.startsWith("-XX:CompileThresholdScaling="));
    }

    /**
     * The oracle is the JDK's java itself, given the same text in JDK_JAVA_OPTIONS: quotes that group part of a word,
     * no backslash escapes, any white space between words. The launcher runs where a file is named like what the
     * shell's file name expansion would make of {@code -Dglob=*} (the launcher's old unquoted use passed
     * {@code -Dglob=expanded}).
     */
    @Test
    void javaOptionsAreSplitAsTheJdkSplitsJdkJavaOptions() throws Exception {
        String opts = "-Dspace=\"a b\"  -Dsingle='c \"d' -Dmiddle=x\"y z\"w -Dglob=* -Dback=\\x\\\\ -Dempty=''\t-Dtab=1\n"
                + "-Dapostrophe=\"it's\" -Ddollar='$HOME' -Dpercent=%s";
        Files.createFile(work.resolve("-Dglob=expanded"));
        List<String> jdks = options(oracle(opts));
        assertThat(jdks).as("the JDK's own split").contains("-Dspace=a b", "-Dglob=*", "-Dapostrophe=it's").hasSize(10);

        Result result = run(Map.of("KCOV_EXPLORER_JAVA_OPTS", opts), "info", "x.kcov");
        assertThat(result.status).as(result.output).isZero();
        assertThat(options(result.output)).as(result.output).endsWith(jdks.toArray(String[]::new));
    }

    /** The user's options come after the launcher's unlocking of diagnostic ones, which must precede them. */
    @Test
    void aDiagnosticJavaOptionIsAccepted() throws Exception {
        Result result = run(Map.of("KCOV_EXPLORER_JAVA_OPTS", "-XX:ArchiveRelocationMode=1"), "info", "x.kcov");
        assertThat(result.status).as(result.output).isZero();
        assertThat(options(result.output)).contains("-XX:ArchiveRelocationMode=1");
    }

    /**
     * The user's options replace the launcher's, not the checkout's class-data archive, which a run with them maps
     * (before them, so that theirs have the last word) and never records: the archive a run without them recorded.
     */
    @Test
    void javaOptionsKeepTheArchiveARunWithoutThemRecorded() throws Exception {
        Map<String, String> cache = Map.of("XDG_CACHE_HOME", work.resolve("archive-kept").toString());
        Result optionsFirst = run(Map.of("XDG_CACHE_HOME", cache.get("XDG_CACHE_HOME"), "KCOV_EXPLORER_JAVA_OPTS",
                "-Xmx300m"), "info", "x.kcov");
        assertThat(optionsFirst.status).as(optionsFirst.output).isZero();
        assertThat(archives(cache)).as("archives recorded by a run with the user's options").isEmpty();

        Result recording = run(cache, "info", "x.kcov");
        assertThat(recording.status).as(recording.output).isZero();
        assertThat(archives(cache)).as("the archive the run without options recorded").hasSize(1);
        String archive = archives(cache).get(0).toString();

        Result result = run(Map.of("XDG_CACHE_HOME", cache.get("XDG_CACHE_HOME"), "KCOV_EXPLORER_JAVA_OPTS",
                "-Xmx300m"), "info", "x.kcov");
        assertThat(result.status).as(result.output).isZero();
        assertThat(options(result.output)).as(result.output).contains("-XX:SharedArchiveFile=" + archive)
                .endsWith("-Xmx300m");
        assertThat(archives(cache)).as("archives after the run with options").containsExactly(Path.of(archive));
    }

    /** An option that turns sharing off or names an archive of its own replaces the checkout's archive. */
    @Test
    void aJavaOptionNamingAnArchiveReplacesTheCheckoutsArchive() throws Exception {
        Map<String, String> cache = Map.of("XDG_CACHE_HOME", work.resolve("archive-replaced").toString());
        assertThat(run(cache, "info", "x.kcov").status).isZero();
        assertThat(archives(cache)).hasSize(1);

        Result result = run(Map.of("XDG_CACHE_HOME", cache.get("XDG_CACHE_HOME"), "KCOV_EXPLORER_JAVA_OPTS",
                "-Xshare:off"), "info", "x.kcov");
        assertThat(result.status).as(result.output).isZero();
        assertThat(options(result.output)).as(result.output).contains("-Xshare:off")
                .noneMatch(option -> option.startsWith("-XX:SharedArchiveFile="));
    }

    /**
     * An archive is recorded with the options the launcher runs its command with, and mapped only by runs with the
     * same: the JVM refuses one recorded under other heap options (-Xmx40g: "The saved state of UseCompressedOops ...
     * is different from runtime, CDS will be disabled"), silently here, and as the archive existed none was recorded
     * again. symbolize and info run with different heaps: each records its own, and neither removes the other's
     * (on the old launcher symbolize mapped info's archive and recorded none).
     */
    @Test
    void eachSetOfTheLaunchersOptionsRecordsAndMapsItsOwnArchive() throws Exception {
        Map<String, String> cache = Map.of("XDG_CACHE_HOME", work.resolve("archive-per-options").toString());
        assertThat(run(cache, "info", "x.kcov").status).isZero();
        List<Path> infos = archives(cache);
        assertThat(infos).as("the archive info recorded").hasSize(1);

        assertThat(run(cache, "symbolize", "x.kcov").status).isZero();
        List<Path> both = archives(cache);
        assertThat(both).as("after symbolize, with other heap options").hasSize(2).contains(infos.get(0));
        Path symbolizes = both.stream().filter(archive -> !archive.equals(infos.get(0))).findFirst().orElseThrow();

        Result info = run(cache, "info", "x.kcov");
        Result symbolize = run(cache, "symbolize", "x.kcov");
        assertThat(options(info.output)).as(info.output).contains("-XX:SharedArchiveFile=" + infos.get(0));
        assertThat(options(symbolize.output)).as(symbolize.output).contains("-XX:SharedArchiveFile=" + symbolizes);
        assertThat(archives(cache)).as("archives after each ran again").containsExactlyInAnyOrderElementsOf(both);
    }

    private static List<Path> archives(Map<String, String> cache) throws Exception {
        Path cds = Path.of(cache.get("XDG_CACHE_HOME"), "kcov-explorer", "cds");
        if (!Files.isDirectory(cds)) {
            return List.of();
        }
        try (var files = Files.list(cds)) {
            return files.sorted().toList();
        }
    }

    /** As the JDK's java refuses an unmatched quote in JDK_JAVA_OPTIONS, and says so. */
    @Test
    void anUnmatchedQuoteInTheJavaOptionsIsRefusedNamingIt() throws Exception {
        Result result = run(Map.of("KCOV_EXPLORER_JAVA_OPTS", "-Xmx2g -Dx=\"a b"), "info", "x.kcov");
        assertThat(result.status).isEqualTo(1);
        assertThat(result.output).isEqualTo("kcov-explorer: unmatched \" in KCOV_EXPLORER_JAVA_OPTS: -Xmx2g -Dx=\"a b");
    }

    private static String oracle(String opts) throws Exception {
        Path out = work.resolve("oracle.txt");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", LauncherCheckout.classes(work.resolve("checkout")).toString(), "dev.kcovexplorer.app.Main")
                .redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(out.toFile());
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().put("JDK_JAVA_OPTIONS", opts);
        assertThat(ChildProcesses.run(builder, Duration.ofSeconds(120))).as("java finished with 0").hasValue(0);
        return Files.readString(out);
    }

    private static List<String> options(String output) {
        return output.lines().filter(line -> line.startsWith("option: "))
                .map(line -> line.substring("option: ".length())).toList();
    }

    private static String run(String... args) throws Exception {
        return run(Map.of(), args).output.lines().findFirst().orElse("");
    }

    private record Result(int status, String output) {
    }

    private static Result run(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        Path out = work.resolve("out.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                .directory(work.toFile());
        builder.environment().put("XDG_CACHE_HOME", work.resolve("cache").toString());
        builder.environment().remove("KCOV_EXPLORER_JAVA_OPTS");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator
                + System.getenv("PATH"));
        builder.environment().putAll(env);
        OptionalInt status = ChildProcesses.run(builder, Duration.ofSeconds(120));
        String output = Files.readString(out).strip();
        assertThat(status).as("the launcher finished: " + output).isPresent();
        return new Result(status.getAsInt(), output);
    }
}
