package dev.kcovexplorer.app.model.source;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The background unpack in a process of its own, one tar entry per line on stdin: before each entry it prints
 * "entry" and waits for a line, so a test can kill it (SIGKILL) at an exact point of the pass.
 * Arguments: TARBALL TREE WANTED_LIST (one "path hash" per line).
 */
public final class SteppedUnpack {
    private SteppedUnpack() {
    }

    /**
     * The child JVM that runs this on {@code tarball} into {@code tree}, {@code wanted} written to {@code list} for it:
     * started by the caller, with stderr redirected as it likes.
     */
    static ProcessBuilder process(Path tarball, Path tree, Map<String, String> wanted, Path list) throws IOException {
        List<String> lines = new ArrayList<>();
        wanted.forEach((path, hash) -> lines.add(path + " " + hash));
        Files.write(list, lines);
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SteppedUnpack.class.getName(),
                tarball.toString(), tree.toString(), list.toString());
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of(args[2]), StandardCharsets.UTF_8)) {
            int space = line.indexOf(' ');
            wanted.put(line.substring(0, space), line.substring(space + 1));
        }
        BufferedReader steps = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        new UnpackedSources(Path.of(args[0]), Path.of(args[1]), wanted).unpackRest(p -> { }, () -> {
            System.out.println("entry");
            System.out.flush();
            try {
                return steps.readLine() == null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        System.out.println("complete");
    }
}
