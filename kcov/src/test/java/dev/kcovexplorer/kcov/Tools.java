package dev.kcovexplorer.kcov;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tools a test needs (missing: a failure under CI=true, else a skip naming the package) and process figures. */
public final class Tools {
    private Tools() {
    }

    public static void require(String tool) {
        boolean present = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            present |= !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool));
        }
        String why = tool + " is not installed (apt-get install " + tool + ")";
        if (!present && "true".equals(System.getenv("CI"))) {
            fail(why);
        }
        assumeTrue(present, why);
    }

    /** The peak resident set of this JVM so far (VmHWM), in KiB; -1 where /proc does not tell. */
    public static long peakRssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
