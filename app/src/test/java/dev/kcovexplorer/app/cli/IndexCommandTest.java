package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.app.model.fixture.InstrumentedProgram;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.elf.ElfSection;
import dev.kcovexplorer.symbolizer.index.CacheDirectory;
import dev.kcovexplorer.testing.Patience;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code index}, and {@code symbolize} answering from the index, in child JVMs, so {@code XDG_CACHE_HOME} is
 * really read from the environment; in-process, the tests' own cache the build names.
 */
class IndexCommandTest {
    @TempDir
    Path dir;

    @Test
    void buildsThenReusesTheCacheAndSymbolizeAnswersAlikeFromIt() throws Exception {
        InstrumentedProgram.requireTools();
        InstrumentedProgram program = InstrumentedProgram.build(dir);
        Path cache = dir.resolve("xdg");
        Path empty = dir.resolve("empty-xdg");

        String first = run(cache, "index", "--vmlinux", program.binary().toString());
        assertThat(first).startsWith("built the index: " + cache.resolve("kcov-explorer").resolve("index"))
                .containsPattern("\\d+ call points, \\d+ tail-call points").containsPattern("in \\d+\\.\\d\\d s");
        String second = run(cache, "index", "--vmlinux", program.binary().toString());
        assertThat(second).startsWith("reused the cached index: ");
        assertThat(second.lines().skip(1).findFirst()).isEqualTo(first.lines().skip(1).findFirst());

        // Every point plus every other .text address: the index answers the former, DWARF the latter.
        Path addresses = dir.resolve("addresses.txt");
        List<String> lines = new ArrayList<>(run(cache, "points", "--vmlinux", program.binary().toString()).lines()
                .toList());
        try (ElfFile elf = ElfFile.open(program.binary())) {
            ElfSection text = elf.section(".text");
            lines.addAll(LongStream.range(text.address(), text.address() + text.size()).filter(a -> a % 3 == 0)
                    .mapToObj(a -> "0x" + Long.toHexString(a)).collect(Collectors.toList()));
        }
        Files.write(addresses, lines);
        String warm = run(cache, "symbolize", "--vmlinux", program.binary().toString(), addresses.toString());
        String cold = run(empty, "symbolize", "--vmlinux", program.binary().toString(), addresses.toString());
        assertThat(warm.lines().count()).isEqualTo(lines.size());
        assertThat(warm).isEqualTo(cold);
    }

    @Test
    void symbolizeLeavesTheIndexBehindOnceWhenAskedForEnoughSitesAndAnswersAlikeWithoutIt() throws Exception {
        InstrumentedProgram.requireTools();
        InstrumentedProgram program = InstrumentedProgram.build(dir);
        String vmlinux = program.binary().toString();
        Path cache = dir.resolve("xdg");
        List<String> sites = new ArrayList<>(run(cache, "points", "--vmlinux", vmlinux).lines().toList());
        sites.addAll(run(cache, "points", "--vmlinux", vmlinux, "--kind", "tail").lines().toList());
        sites.addAll(run(cache, "points", "--vmlinux", vmlinux, "--kind", "cmp").lines().toList());
        assertThat(sites).hasSizeGreaterThan(SymbolizeCommand.BUILD_WHEN_ASKING_ONE_SITE_IN);
        Path all = dir.resolve("all-sites.txt");
        Files.write(all, sites);
        // One site fewer than the rule asks for: answered from the DWARF, no index left behind.
        int tooFew = (sites.size() + SymbolizeCommand.BUILD_WHEN_ASKING_ONE_SITE_IN - 1)
                / SymbolizeCommand.BUILD_WHEN_ASKING_ONE_SITE_IN - 1;
        Path few = dir.resolve("few-sites.txt");
        Files.write(few, sites.subList(0, tooFew));
        Path indexDirectory = cache.resolve("kcov-explorer").resolve("index");

        Output fromDwarf = runCapturing(cache, "symbolize", "--vmlinux", vmlinux, few.toString());
        assertThat(fromDwarf.err()).isEmpty();
        assertThat(indexDirectory).doesNotExist();

        Output first = runCapturing(cache, "symbolize", "--vmlinux", vmlinux, all.toString());
        assertThat(first.err().lines()).singleElement().asString()
                .startsWith("kcov-explorer: built the index of " + vmlinux)
                .contains(indexDirectory.toString()).endsWith("later runs answer from it");
        try (var files = Files.list(indexDirectory)) {
            assertThat(files.filter(f -> f.toString().endsWith(".kidx"))).hasSize(1);
        }
        Output second = runCapturing(cache, "symbolize", "--vmlinux", vmlinux, all.toString());
        assertThat(second.err()).isEmpty();
        assertThat(second.out()).isEqualTo(first.out());
        assertThat(first.out().lines().count()).isEqualTo(sites.size());
        assertThat(first.out().lines().limit(tooFew)).containsExactlyElementsOf(fromDwarf.out().lines().toList());
    }

    /**
     * A kernel partly recompiled in a copy of its tree (as sample-data's modular kernel is): every answer names the
     * copy's files under the tree most units share, whether it comes from the DWARF (too few sites asked to build
     * the index) or from the index.
     */
    @Test
    void filesOfACopyOfTheTreeAreNamedUnderTheTreeFromTheDwarfAndFromTheIndex() throws Exception {
        InstrumentedProgram.requireTools();
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Path copy = Files.createDirectories(dir.resolve("copy"));
        for (Path d : List.of(tree, copy)) {
            Files.writeString(d.resolve("twice.h"), "static inline int twice(int x) { return x > 2 ? 2 * x : x - 1; }\n");
        }
        Files.writeString(tree.resolve("one.c"), "#include \"twice.h\"\nint one(int x) { return twice(x) + 3; }\n");
        Files.writeString(copy.resolve("two.c"), "#include \"twice.h\"\nint two(int x) { return twice(x) * 5; }\n");
        Files.writeString(tree.resolve("three.c"), "#include \"twice.h\"\nint three(int x) { return twice(x) ^ 7; }\n");
        Files.writeString(dir.resolve("main.c"), "void __sanitizer_cov_trace_pc(void) { }\nint one(int), two(int), "
                + "three(int);\nint main(int argc, char **argv) { (void) argv; return one(argc) + two(argc) + three(argc); }\n");
        for (Path source : List.of(tree.resolve("one.c"), copy.resolve("two.c"), tree.resolve("three.c"))) {
            tool(source.getParent(), "gcc", "-O2", "-g", "-fsanitize-coverage=trace-pc", "-c",
                    source.getFileName().toString());
        }
        tool(dir, "gcc", "-O2", "-c", "main.c");
        tool(dir, "gcc", "-o", "program", "tree/one.o", "copy/two.o", "tree/three.o", "main.o");
        String vmlinux = dir.resolve("program").toString();
        Path cache = dir.resolve("xdg");
        List<String> sites = run(cache, "points", "--vmlinux", vmlinux).lines().toList();
        int tooFew = (sites.size() + SymbolizeCommand.BUILD_WHEN_ASKING_ONE_SITE_IN - 1)
                / SymbolizeCommand.BUILD_WHEN_ASKING_ONE_SITE_IN - 1;
        Path few = Files.write(dir.resolve("few.txt"), sites.subList(0, tooFew));
        Path all = Files.write(dir.resolve("all.txt"), sites);

        String fromDwarf = run(cache, "symbolize", "--vmlinux", vmlinux, few.toString());
        String fromIndex = run(cache, "symbolize", "--vmlinux", vmlinux, all.toString());

        assertThat(cache.resolve("kcov-explorer").resolve("index")).isDirectory();
        assertThat(fromIndex.lines().limit(tooFew)).containsExactlyElementsOf(fromDwarf.lines().toList());
        String copied = copy.toRealPath() + "/";
        assertThat(fromIndex).as("answers from the index").doesNotContain(copied)
                .contains(tree.toRealPath().resolve("twice.h").toString());
        assertThat(fromDwarf).as("answers from the DWARF").doesNotContain(copied).contains("\"function\":\"two\"");
    }

    private static void tool(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(Patience.SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }

    @Test
    void inProcessCommandsOfTheTestsIndexIntoTheTestsOwnCacheNotTheUsers() throws Exception {
        InstrumentedProgram.requireTools();
        InstrumentedProgram program = InstrumentedProgram.build(dir);
        String configured = System.getProperty(CacheDirectory.PROPERTY);
        assertThat(configured).as("the build's cache directory for tests").isNotBlank();
        Path cache = Path.of(configured).toAbsolutePath();
        assertThat(cache.startsWith(Path.of(System.getProperty("user.home"), ".cache"))).as("%s in the user's cache", cache)
                .isFalse();

        CliRunner.Result built = CliRunner.run("index", "--vmlinux", program.binary().toString());

        assertThat(built.status()).as(built.err()).isZero();
        assertThat(built.out()).startsWith("built the index: " + cache.resolve("index"));
    }

    @Test
    void theCacheDirectoryPropertyOutranksXdgCacheHome() throws Exception {
        InstrumentedProgram.requireTools();
        InstrumentedProgram program = InstrumentedProgram.build(dir);
        Path chosen = dir.resolve("chosen");
        Files.createDirectories(dir.resolve("xdg"));

        String out = run(dir.resolve("xdg"), List.of("-D" + CacheDirectory.PROPERTY + "=" + chosen), "index",
                "--vmlinux", program.binary().toString()).out();

        assertThat(out).startsWith("built the index: " + chosen.resolve("index"));
        assertThat(dir.resolve("xdg").resolve("kcov-explorer")).doesNotExist();
    }

    private record Output(String out, String err) {
    }

    private static String run(Path cacheHome, String... args) throws IOException, InterruptedException {
        return runCapturing(cacheHome, args).out();
    }

    private static Output runCapturing(Path cacheHome, String... args) throws IOException, InterruptedException {
        return run(cacheHome, List.of(), args);
    }

    private static Output run(Path cacheHome, List<String> jvmOptions, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.kcovexplorer.app.Main"));
        command.addAll(List.of(args));
        Path err = Files.createTempFile(cacheHome.getParent(), "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(err.toFile());
        pb.environment().put("XDG_CACHE_HOME", cacheHome.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(Patience.SECONDS, TimeUnit.SECONDS)).isTrue();
        String errText = Files.readString(err);
        assertThat(p.exitValue()).as(errText).isZero();
        return new Output(out, errText);
    }
}
