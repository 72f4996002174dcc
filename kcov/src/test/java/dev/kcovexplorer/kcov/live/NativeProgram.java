package dev.kcovexplorer.kcov.live;


import dev.kcovexplorer.testing.Patience;
import dev.kcovexplorer.testing.Requirements;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A C test program from the test resources (next to the class that asks), compiled with the machine's gcc and run. */
public final class NativeProgram {
    private final Path executable;

    private NativeProgram(Path executable) {
        this.executable = executable;
    }

    /** Compiles resource {@code name}; skips the calling test when gcc or the kernel headers are missing. */
    static NativeProgram compile(String name, Path workDir) throws IOException, InterruptedException {
        return compile(NativeProgram.class, name, workDir);
    }

    /** Compiles resource {@code name} of {@code owner}'s package. */
    public static NativeProgram compile(Class<?> owner, String name, Path workDir) throws IOException,
            InterruptedException {
        Requirements.tools("gcc");
        Requirements.require(Files.exists(Path.of("/usr/include/linux/kcov.h")),
                "<linux/kcov.h> is not installed (apt-get install linux-libc-dev)");
        Path source = workDir.resolve(name);
        try (InputStream in = owner.getResourceAsStream(name)) {
            Files.copy(in, source);
        }
        Path executable = workDir.resolve(name.replace(".c", ""));
        Process gcc = new ProcessBuilder("gcc", "-O0", "-Wall", "-Werror", "-o", executable.toString(),
                source.toString()).redirectErrorStream(true).start();
        String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!gcc.waitFor(Patience.SECONDS, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
            throw new IOException("gcc failed on " + name + ":\n" + log);
        }
        return new NativeProgram(executable);
    }

    /** Runs the program and parses its "key value" lines. */
    public Map<String, String> run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(Patience.SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(executable + " failed:\n" + output);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0) {
                values.put(line.substring(0, space), line.substring(space + 1).trim());
            }
        }
        return values;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
