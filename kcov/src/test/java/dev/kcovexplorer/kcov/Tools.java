package dev.kcovexplorer.kcov;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Process figures for tests that state what they cost. */
public final class Tools {
    private Tools() {
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
