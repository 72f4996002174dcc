package dev.kcovexplorer.symbolizer.external;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a process's memory figures from {@code /proc/<pid>/status} and the machine's from /proc/meminfo. */
public final class ProcStatus {
    private ProcStatus() {
    }

    /** Peak resident set size (VmHWM) of a live process in bytes, or -1 when it is gone or unknown. */
    public static long peakRssBytes(long pid) {
        return kilobytesField(Path.of("/proc", Long.toString(pid), "status"), "VmHWM:");
    }

    /** Memory available for new processes (MemAvailable) in bytes, or -1 when unknown. */
    public static long availableMemoryBytes() {
        return kilobytesField(Path.of("/proc/meminfo"), "MemAvailable:");
    }

    private static long kilobytesField(Path file, String field) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(field)) {
                    String[] parts = line.substring(field.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
