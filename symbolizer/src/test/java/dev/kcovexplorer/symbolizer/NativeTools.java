package dev.kcovexplorer.symbolizer;

import dev.kcovexplorer.testing.Requirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the machine's compilers and binutils for tests; a missing tool skips visibly, or fails under CI=true. */
public final class NativeTools {
    private NativeTools() {
    }

    /** True when {@code tool} is on the PATH. */
    public static boolean has(String tool) {
        return Requirements.onPath(tool);
    }

    /** Requires {@code tool}: a visible skip outside CI, a failure under {@code CI=true}. */
    public static void assume(String tool) {
        Requirements.tools(tool);
    }

    /** Runs a command in {@code dir}, returning its stdout; fails with its stderr on a non-zero exit. */
    public static String run(Path dir, List<String> command) throws IOException, InterruptedException {
        return run(dir, command, null);
    }

    public static String run(Path dir, List<String> command, String stdin) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        if (stdin != null) {
            Path in = Files.createTempFile(dir, "in", ".txt");
            Files.writeString(in, stdin);
            pb.redirectInput(in.toFile());
        }
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(command + " failed (" + p.exitValue() + "): " + Files.readString(err));
        }
        return stdout;
    }

    /** Compiles and links {@code sources} (relative to dir) into {@code dir/output} with {@code compiler}. */
    public static Path compile(Path dir, String compiler, String output, List<String> flags, String... sources)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(compiler);
        cmd.addAll(flags);
        cmd.add("-o");
        cmd.add(output);
        cmd.addAll(List.of(sources));
        run(dir, cmd);
        return dir.resolve(output);
    }
}
