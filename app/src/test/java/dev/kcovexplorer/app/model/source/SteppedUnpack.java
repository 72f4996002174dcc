package dev.kcovexplorer.app.model.source;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The background unpack in a process of its own, one tar entry per line on stdin: before each entry it prints
 * "entry" and waits for a line, so a test can kill it (SIGKILL) at an exact point of the pass.
 * Arguments: TARBALL TREE WANTED_LIST (one "path hash" per line).
 */
public final class SteppedUnpack {
    private SteppedUnpack() {
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
