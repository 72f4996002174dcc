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
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds {@code points/program.c} with the {@code points/harness.c} stand-in for kcov, runs it, and
 * reads back what the harness recorded and what objdump says the binary contains.
 */
public final class CoverageHarness {
    private static final Pattern BRANCH = Pattern.compile(
            "^\\s*([0-9a-f]+):\\s+(call|jmp)\\s+[0-9a-f]+ <([^>+@]+)>\\s*$");

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
        NativeTools.assume("objdump");
        String listing = NativeTools.run(binary.getParent(), List.of("objdump", "-d", "--no-show-raw-insn",
                binary.toString()));
        Map<String, Map<String, TreeSet<Long>>> out = Map.of("call", new HashMap<>(),
                "jmp", new HashMap<>());
        for (String line : listing.split("\n")) {
            Matcher m = BRANCH.matcher(line);
            if (m.matches()) {
                out.get(m.group(2)).computeIfAbsent(m.group(3), k -> new TreeSet<>())
                        .add(Long.parseUnsignedLong(m.group(1), 16));
            }
        }
        return out;
    }

    private static void copyResource(Path dir, String name) throws IOException {
        try (InputStream in = CoverageHarness.class.getResourceAsStream("/points/" + name)) {
            Files.write(dir.resolve(name), in.readAllBytes());
        }
    }
}
