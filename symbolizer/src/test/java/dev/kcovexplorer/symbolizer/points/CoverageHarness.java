package dev.kcovexplorer.symbolizer.points;

import dev.kcovexplorer.symbolizer.NativeTools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds {@code points/program.c} with the {@code points/harness.c} stand-in for kcov, runs it, and
 * reads back what the harness recorded and what objdump says the binary contains.
 */
public final class CoverageHarness {
    private static final Pattern BRANCH = Pattern.compile(
            "^\\s*([0-9a-f]+):\\s+(call|jmp|j(?!mp)[a-z]{1,4}|bl|b)\\s+([0-9a-f]+) <([^>+@]+)>\\s*$");
    private static final Pattern VENEER = Pattern.compile("^__(.+)_veneer$");

    private CoverageHarness() {
    }

    /** Compiles the program with {@code compiler} and instrumentation flags into {@code dir/name}. */
    public static Path build(Path dir, String compiler, String name, List<String> flags)
            throws IOException, InterruptedException {
        NativeTools.assume(compiler);
        copyResource(dir, "harness.c");
        copyResource(dir, "program.c");
        String harness = name + "-harness.o";
        NativeTools.run(dir, List.of(compiler, "-O2", "-c", "harness.c", "-o", harness));
        List<String> all = new ArrayList<>(flags);
        all.add(harness);
        return NativeTools.compile(dir, compiler, name, all, "program.c");
    }

    /**
     * Cross-compiles the program for arm64 with clang (freestanding: it is only scanned, never run) and
     * links it with ld.bfd so that the callbacks of {@code far_callbacks.c} lie beyond BL's reach.
     */
    public static Path buildArm64(Path dir, String name) throws IOException, InterruptedException {
        NativeTools.assume("clang");
        NativeTools.assume("aarch64-linux-gnu-ld");
        copyResource(dir, "program.c");
        copyResource(dir, "far_callbacks.c");
        List<String> cc = List.of("clang", "--target=aarch64-linux-gnu", "-O2", "-ffreestanding", "-fno-pic", "-c");
        List<String> far = new ArrayList<>(cc);
        far.addAll(List.of("far_callbacks.c", "-o", name + "-far.o"));
        NativeTools.run(dir, far);
        List<String> program = new ArrayList<>(cc);
        program.addAll(List.of("-fsanitize-coverage=trace-pc,trace-cmp", "program.c", "-o", name + ".o"));
        NativeTools.run(dir, program);
        NativeTools.run(dir, List.of("aarch64-linux-gnu-ld", "-static", "-e", "main",
                "--section-start=farcode=0x10000000", "-o", name, name + ".o", name + "-far.o"));
        return dir.resolve(name);
    }

    /** Runs the program and returns the distinct PCs its callback recorded (return addresses). */
    public static long[] runAndCollectPcs(Path program) throws IOException, InterruptedException {
        Path area = program.resolveSibling(program.getFileName() + ".kcov");
        ProcessBuilder pb = new ProcessBuilder(program.toString()).redirectErrorStream(true);
        pb.environment().put("KCOV_AREA_FILE", area.toString());
        Process p = pb.start();
        p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
            throw new IOException(program + " exited with " + p.exitValue());
        }
        ByteBuffer words = ByteBuffer.wrap(Files.readAllBytes(area)).order(ByteOrder.LITTLE_ENDIAN);
        long count = words.getLong(0);
        TreeSet<Long> unique = new TreeSet<>();
        for (int i = 1; i <= count; i++) {
            unique.add(words.getLong(i * 8));
        }
        return unique.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Direct branches objdump disassembles, as {@code mnemonic → target symbol → sorted sites}:
     * {@code branches.get("call").get("__sanitizer_cov_trace_pc")}.
     */
    public static Map<String, Map<String, TreeSet<Long>>> objdumpBranches(Path binary)
            throws IOException, InterruptedException {
        return objdumpBranches(binary, "objdump");
    }

    /**
     * The same with another objdump (e.g. {@code aarch64-linux-gnu-objdump}); arm64's {@code bl}/{@code b}
     * count as call/jmp and a linker veneer {@code ____x_veneer} as its target {@code __x}.
     */
    public static Map<String, Map<String, TreeSet<Long>>> objdumpBranches(Path binary, String objdump)
            throws IOException, InterruptedException {
        Map<String, Map<String, TreeSet<Long>>> out = Map.of("call", new HashMap<>(), "jmp", new HashMap<>(),
                "jcc", new HashMap<>());
        forEachBranch(binary, objdump, branch -> {
            Matcher veneer = VENEER.matcher(branch.targetName());
            String target = veneer.matches() ? veneer.group(1) : branch.targetName();
            out.get(branch.mnemonic()).computeIfAbsent(target, k -> new TreeSet<>()).add(branch.site());
        });
        return out;
    }

    /**
     * Direct branches objdump disassembles, as {@code mnemonic → target address → sorted sites}: for targets whose
     * name several symbols carry (two static functions of one name).
     */
    public static Map<String, Map<Long, TreeSet<Long>>> objdumpBranchesByTarget(Path binary)
            throws IOException, InterruptedException {
        Map<String, Map<Long, TreeSet<Long>>> out = Map.of("call", new HashMap<>(), "jmp", new HashMap<>(),
                "jcc", new HashMap<>());
        forEachBranch(binary, "objdump", branch ->
                out.get(branch.mnemonic()).computeIfAbsent(branch.target(), k -> new TreeSet<>()).add(branch.site()));
        return out;
    }

    /**
     * A direct branch to the start of a symbol: call, jmp or x86's conditional jcc (arm64's bl or b), from its site to
     * its target.
     */
    private record Branch(long site, String mnemonic, long target, String targetName) {
    }

    private static void forEachBranch(Path binary, String objdump, Consumer<Branch> visitor)
            throws IOException, InterruptedException {
        NativeTools.assume(objdump);
        inScratchDirectory("objdump", scratch -> {
            // A kernel's listing is hundreds of MB: stream it from a file instead of holding it as one string.
            Path listing = scratch.resolve("listing.txt");
            Path errors = scratch.resolve("errors.txt");
            Process p = new ProcessBuilder(objdump, "-d", "--no-show-raw-insn", binary.toString())
                    .redirectOutput(listing.toFile()).redirectError(errors.toFile()).start();
            int exit = p.waitFor();
            if (exit != 0) {
                throw new IOException(objdump + " failed on " + binary + " (exit " + exit + "): "
                        + Files.readString(errors).strip());
            }
            try (var lines = Files.lines(listing)) {
                lines.forEach(line -> {
                    Matcher m = BRANCH.matcher(line);
                    if (m.matches()) {
                        String mnemonic = m.group(2).equals("bl") ? "call" : m.group(2).equals("b") ? "jmp"
                                : m.group(2).matches("j(?!mp).*") ? "jcc" : m.group(2);
                        visitor.accept(new Branch(Long.parseUnsignedLong(m.group(1), 16), mnemonic,
                                Long.parseUnsignedLong(m.group(3), 16), m.group(4)));
                    }
                });
            }
            return null;
        });
    }

    /**
     * Whether an address lies in a function symbol's {@code [value, value + size)}, by nm: the code a linked image
     * can run. The linker keeps an overridden weak definition's code without a symbol.
     */
    public static LongPredicate inFunctionSymbols(Path binary) throws IOException, InterruptedException {
        TreeMap<Long, Long> ends = new TreeMap<>();
        for (FunctionSymbol f : functionSymbols(binary)) {
            ends.merge(f.start(), f.end(), Math::max);
        }
        // A function's range may hold others (aliases, nested symbols): the furthest end reached so far decides.
        long reach = Long.MIN_VALUE;
        for (Map.Entry<Long, Long> e : ends.entrySet()) {
            reach = Math.max(reach, e.getValue());
            e.setValue(reach);
        }
        return address -> {
            Map.Entry<Long, Long> f = ends.floorEntry(address);
            return f != null && address < f.getValue();
        };
    }

    /** A function symbol nm lists with its size: the code in {@code [start, end)}. */
    public record FunctionSymbol(long start, long end, String name) {
        public boolean contains(long address) {
            return start <= address && address < end;
        }

        @Override
        public String toString() {
            return String.format("%s [%x, %x)", name, start, end);
        }
    }

    /** The function symbols of {@code binary} that nm lists with a size (local, global and weak). */
    public static List<FunctionSymbol> functionSymbols(Path binary) throws IOException, InterruptedException {
        NativeTools.assume("nm");
        String symbols = inScratchDirectory("nm", scratch -> NativeTools.run(scratch, List.of("nm", "-S",
                "--defined-only", binary.toAbsolutePath().toString())));
        List<FunctionSymbol> functions = new ArrayList<>();
        for (String line : symbols.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 4 && "tTwW".contains(f[2])) {
                long start = Long.parseUnsignedLong(f[0], 16);
                functions.add(new FunctionSymbol(start, start + Long.parseUnsignedLong(f[1], 16), f[3]));
            }
        }
        return functions;
    }

    /** Work on a tool's output files. */
    private interface ScratchWork<T> {
        T in(Path scratch) throws IOException, InterruptedException;
    }

    /**
     * Runs {@code work} in a scratch directory it removes afterwards. A tool's output goes there, not beside the binary
     * it reads: that directory may be a kernel's, not the test's (KernelPointScanTest), and a killed test leaves what it
     * wrote (a kernel's objdump listing is hundreds of MB).
     */
    private static <T> T inScratchDirectory(String prefix, ScratchWork<T> work) throws IOException, InterruptedException {
        Path scratch = Files.createTempDirectory(prefix);
        try {
            return work.in(scratch);
        } finally {
            try (var files = Files.list(scratch)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(scratch);
        }
    }

    private static void copyResource(Path dir, String name) throws IOException {
        try (InputStream in = CoverageHarness.class.getResourceAsStream("/points/" + name)) {
            Files.write(dir.resolve(name), in.readAllBytes());
        }
    }
}
