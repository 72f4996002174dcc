package dev.kcovexplorer.symbolizer;

import dev.kcovexplorer.symbolizer.elf.ElfFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.kcovexplorer.testing.Requirements;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * For every instruction of binaries gcc and clang build here, our frames' file:line must equal
 * llvm-symbolizer's, innermost and outer frames alike.
 */
class SymbolizerAgainstOraclesTest {
    private static final String[] SOURCES = {"main.c", "other.c", "ring.h", "hash.h", "coverage_callback.c",
        "freestanding.c"};

    @TempDir
    static Path dir;

    @BeforeAll
    static void copySources() throws IOException {
        for (String s : SOURCES) {
            try (InputStream in = SymbolizerAgainstOraclesTest.class.getResourceAsStream("c/" + s)) {
                Files.copy(in, dir.resolve(s));
            }
        }
    }

    /** A binary to build; {@code postProcess} ("dwz" or null) rewrites its DWARF after linking. */
    record Build(String name, String compiler, List<String> flags, String postProcess) {
        Build(String name, String compiler, List<String> flags) {
            this(name, compiler, flags, null);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Build> builds() {
        List<Build> b = new ArrayList<>();
        b.add(new Build("gcc-O0-dwarf4", "gcc", List.of("-O0", "-gdwarf-4")));
        b.add(new Build("gcc-O2-dwarf4", "gcc", List.of("-O2", "-gdwarf-4")));
        b.add(new Build("gcc-O2-dwarf5", "gcc", List.of("-O2", "-gdwarf-5")));
        b.add(new Build("gcc-O2-dwarf5-trace-pc", "gcc", List.of("-O2", "-gdwarf-5", "-fsanitize-coverage=trace-pc")));
        b.add(new Build("gcc-O2-dwarf5-gz-zlib", "gcc", List.of("-O2", "-gdwarf-5", "-gz=zlib")));
        b.add(new Build("gcc-O2-dwarf4-function-sections-gc", "gcc",
                List.of("-O2", "-gdwarf-4", "-ffunction-sections", "-Wl,--gc-sections")));
        b.add(new Build("gcc-O2-dwarf5-function-sections-gc", "gcc",
                List.of("-O2", "-gdwarf-5", "-ffunction-sections", "-Wl,--gc-sections")));
        b.add(new Build("gcc-O2-dwarf5-split", "gcc", List.of("-O2", "-gdwarf-5", "-gsplit-dwarf")));
        b.add(new Build("gcc-O2-dwarf4-split", "gcc", List.of("-O2", "-gdwarf-4", "-gsplit-dwarf")));
        b.add(new Build("gcc-O2-dwarf64", "gcc", List.of("-O2", "-gdwarf-5", "-gdwarf64")));
        b.add(new Build("gcc-O1-dwarf2", "gcc", List.of("-O1", "-gdwarf-2", "-gstrict-dwarf")));
        b.add(new Build("gcc-O2-dwarf3", "gcc", List.of("-O2", "-gdwarf-3")));
        b.add(new Build("gcc-O2-lto", "gcc", List.of("-O2", "-gdwarf-5", "-flto")));
        // dwz moves shared DIEs into partial units that compile units import and reference with ref_addr.
        b.add(new Build("gcc-O2-dwarf4-dwz", "gcc", List.of("-O2", "-gdwarf-4"), "dwz"));
        b.add(new Build("gcc-O2-dwarf5-dwz", "gcc", List.of("-O2", "-gdwarf-5"), "dwz"));
        b.add(new Build("clang-O0-dwarf4", "clang", List.of("-O0", "-gdwarf-4")));
        b.add(new Build("clang-O2-dwarf5", "clang", List.of("-O2", "-gdwarf-5")));
        b.add(new Build("clang-O2-dwarf5-trace-pc", "clang", List.of("-O2", "-gdwarf-5", "-fsanitize-coverage=trace-pc")));
        b.add(new Build("clang-O2-dwarf5-split", "clang", List.of("-O2", "-gdwarf-5", "-gsplit-dwarf")));
        b.add(new Build("clang-O2-dwarf4-split", "clang", List.of("-O2", "-gdwarf-4", "-gsplit-dwarf")));
        return b;
    }

    /**
     * Builds main.c + other.c with the build's flags in a directory of its own (split DWARF leaves
     * .dwo files next to the binary). Instrumented builds get the callback from an uninstrumented
     * file and link without the coverage flag (clang would otherwise link its sanitizer runtime).
     */
    static Path build(Build build) throws IOException, InterruptedException {
        Path out = Files.createDirectories(dir.resolve(build.name()));
        String coverage = "-fsanitize-coverage=trace-pc";
        if (!build.flags().contains(coverage)) {
            return NativeTools.compile(out, build.compiler(), build.name(), build.flags(), "../main.c", "../other.c");
        }
        List<String> objects = new ArrayList<>();
        for (String source : List.of("main", "other")) {
            List<String> cmd = new ArrayList<>(List.of(build.compiler(), "-c", "-o", source + ".o"));
            cmd.addAll(build.flags());
            cmd.add("../" + source + ".c");
            NativeTools.run(out, cmd);
            objects.add(source + ".o");
        }
        NativeTools.run(out, List.of(build.compiler(), "-O2", "-c", "-o", "callback.o", "../coverage_callback.c"));
        objects.add("callback.o");
        List<String> linkFlags = new ArrayList<>(build.flags());
        linkFlags.remove(coverage);
        return NativeTools.compile(out, build.compiler(), build.name(), linkFlags, objects.toArray(new String[0]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("builds")
    void framesEqualLlvmSymbolizers(Build build) throws Exception {
        NativeTools.assume(build.compiler());
        NativeTools.assume("llvm-symbolizer");
        NativeTools.assume("objdump");
        Path elf = build(build);
        if (build.postProcess() != null) {
            NativeTools.assume(build.postProcess());
            NativeTools.run(elf.getParent(), List.of(build.postProcess(), elf.toString()));
            try (ElfFile e = ElfFile.open(elf)) {
                assertThat(dev.kcovexplorer.symbolizer.dwarf.DebugInfo.load(e).unitCount())
                        .as("dwz added partial units").isGreaterThan(2);
            }
        }
        long[] addresses = Oracles.instructionAddresses(elf);
        Path oracleInput = elf;
        if (build.flags().contains("-gsplit-dwarf")) {
            // llvm-symbolizer 14 (and addr2line 2.40) lose the inline frames of every split unit but the
            // first: they answer from the skeleton's line table alone. So the oracle reads a twin built
            // without -gsplit-dwarf, whose code must be byte-identical.
            List<String> twinFlags = new ArrayList<>(build.flags());
            twinFlags.remove("-gsplit-dwarf");
            oracleInput = build(new Build(build.name() + "-twin", build.compiler(), twinFlags));
            assertSameCode(elf, oracleInput);
        }
        List<List<Frame>> theirs = Oracles.llvmSymbolizer(oracleInput, addresses);
        List<List<Frame>> ours;
        try (Symbolizer s = Symbolizer.open(elf)) {
            ours = s.symbolize(addresses);
        }
        if (oracleInput != elf) {
            ours = renameTwinPaths(ours, elf, oracleInput);
        }
        Agreement a = Agreement.of(addresses, ours, theirs);
        System.out.println(build + ": " + a);
        a.differences().stream().limit(20).forEach(System.out::println);
        a.functionDifferences().stream().limit(10).forEach(System.out::println);
        assertThat(a.chainRate()).as(build + ": " + a).isGreaterThanOrEqualTo(0.999);
        assertThat(a.functionRate()).as(build + ": " + a).isGreaterThanOrEqualTo(0.999);
    }

    /**
     * zstd-compressed debug sections: llvm-symbolizer 14 cannot read them, so the oracles are GNU
     * addr2line on the same file and our own answers for the uncompressed original, which must match
     * exactly.
     */
    @org.junit.jupiter.api.Test
    void zstdCompressedSectionsGiveTheSameFramesAsUncompressed() throws Exception {
        NativeTools.assume("gcc");
        NativeTools.assume("objcopy");
        NativeTools.assume("addr2line");
        Path plain = build(new Build("zstd-source", "gcc", List.of("-O2", "-gdwarf-4")));
        Path zstd = plain.resolveSibling("zstd");
        NativeTools.run(plain.getParent(), List.of("objcopy", "--compress-debug-sections=zstd", plain.toString(),
                zstd.toString()));
        try (ElfFile z = ElfFile.open(zstd)) {
            assertThat(z.section(".debug_info").isCompressed()).isTrue();
        }
        long[] addresses = Oracles.instructionAddresses(plain);
        List<List<Frame>> expected;
        List<List<Frame>> ours;
        try (Symbolizer p = Symbolizer.open(plain); Symbolizer s = Symbolizer.open(zstd)) {
            expected = p.symbolize(addresses);
            ours = s.symbolize(addresses);
        }
        assertThat(ours).isEqualTo(expected);
        // Accepted disagreement: padding between functions lies in no symbol; addr2line names the symbol
        // before it anyway, llvm-symbolizer and we name none. Those addresses are left out.
        long[] inFunctions;
        try (ElfFile z = ElfFile.open(zstd)) {
            inFunctions = java.util.Arrays.stream(addresses).filter(x -> z.symbols().functionContaining(x) != null).toArray();
        }
        assertThat(inFunctions.length).isGreaterThan(addresses.length * 9 / 10);
        try (Symbolizer s = Symbolizer.open(zstd)) {
            ours = s.symbolize(inFunctions);
        }
        Agreement a = Agreement.of(inFunctions, ours, Oracles.addr2line(zstd, inFunctions));
        System.out.println("zstd vs addr2line: " + a);
        a.differences().stream().limit(10).forEach(System.out::println);
        assertThat(a.chainRate()).as(a.toString()).isGreaterThanOrEqualTo(0.999);
    }

    /** A freestanding program for another architecture, and the objdump that disassembles it. */
    record CrossBuild(String name, String machine, String compiler, List<String> flags, String objdump) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<CrossBuild> crossBuilds() {
        List<String> freestanding = List.of("-ffreestanding", "-nostdlib");
        List<CrossBuild> b = new ArrayList<>();
        b.add(new CrossBuild("i386-gcc-O2-dwarf5", "I386", "gcc", concat(List.of("-m32", "-O2", "-gdwarf-5"), freestanding),
                "objdump"));
        b.add(new CrossBuild("i386-gcc-O0-dwarf4", "I386", "gcc", concat(List.of("-m32", "-O0", "-gdwarf-4"), freestanding),
                "objdump"));
        b.add(new CrossBuild("aarch64-clang-O2-dwarf5", "AARCH64", "clang", concat(List.of("--target=aarch64-linux-gnu",
                "-fuse-ld=/usr/bin/aarch64-linux-gnu-ld", "-O2", "-gdwarf-5"), freestanding), "aarch64-linux-gnu-objdump"));
        b.add(new CrossBuild("aarch64-clang-O1-dwarf4", "AARCH64", "clang", concat(List.of("--target=aarch64-linux-gnu",
                "-fuse-ld=/usr/bin/aarch64-linux-gnu-ld", "-O1", "-gdwarf-4"), freestanding), "aarch64-linux-gnu-objdump"));
        return b;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** ELF32 and 4-byte DWARF addresses (i386), and arm64 code. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("crossBuilds")
    void otherArchitecturesAgreeWithLlvmSymbolizer(CrossBuild build) throws Exception {
        NativeTools.assume(build.compiler());
        NativeTools.assume(build.objdump());
        NativeTools.assume("llvm-symbolizer");
        Path out = Files.createDirectories(dir.resolve(build.name()));
        Path elf;
        try {
            elf = NativeTools.compile(out, build.compiler(), build.name(), build.flags(), "../freestanding.c");
        } catch (IOException e) {
            Requirements.require(false, "cannot build for " + build.machine()
                    + " here (cross linker or multilib missing): " + e.getMessage());
            return;
        }
        long[] addresses = Oracles.instructionAddresses(elf, build.objdump());
        assertThat(addresses.length).isGreaterThan(10);
        List<List<Frame>> ours;
        try (Symbolizer s = Symbolizer.open(elf)) {
            assertThat(s.elf().machine().name()).isEqualTo(build.machine());
            ours = s.symbolize(addresses);
        }
        Agreement a = Agreement.of(addresses, ours, Oracles.llvmSymbolizer(elf, addresses));
        System.out.println(build + ": " + a);
        a.differences().stream().limit(10).forEach(System.out::println);
        assertThat(a.chainRate()).as(build + ": " + a).isGreaterThanOrEqualTo(0.999);
        assertThat(a.functionRate()).as(build + ": " + a).isGreaterThanOrEqualTo(0.999);
        if (!build.flags().contains("-O0")) {
            assertThat(ours.stream().anyMatch(chain -> chain.size() >= 2)).as("inlined frames").isTrue();
        }
    }

    private static void assertSameCode(Path a, Path b) throws IOException {
        try (ElfFile x = ElfFile.open(a); ElfFile y = ElfFile.open(b)) {
            assertThat(x.section(".text").address()).isEqualTo(y.section(".text").address());
            assertThat(x.section(".text").contents()).isEqualTo(y.section(".text").contents());
        }
    }

    /** Paths of the split build's directory, spelled as in the twin's directory. */
    private static List<List<Frame>> renameTwinPaths(List<List<Frame>> chains, Path elf, Path twin) {
        String from = elf.getParent().toString();
        String to = twin.getParent().toString();
        List<List<Frame>> out = new ArrayList<>();
        for (List<Frame> chain : chains) {
            List<Frame> renamed = new ArrayList<>();
            for (Frame f : chain) {
                renamed.add(new Frame(f.function(), f.linkage(), f.file().replace(from, to), f.line(), f.column()));
            }
            out.add(renamed);
        }
        return out;
    }
}
