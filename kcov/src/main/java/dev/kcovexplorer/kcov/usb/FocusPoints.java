package dev.kcovexplorer.kcov.usb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The code a guided campaign is after (syzkaller's coverage filter): the coverage points of some files, as call
 * sites of {@code __sanitizer_cov_trace_pc} (what {@code kcov-explorer points} prints, filtered by file). Only new
 * PCs there count for guided's choices of arm and kind; anything new still joins the corpus. kcov records return
 * addresses: a PC is in the focus when the call five bytes before it (x86-64) or four (arm64) is a listed point;
 * two calls cannot lie four and five bytes before one address on one architecture, so one set serves both.
 */
public final class FocusPoints {
    private final long[] sites;

    private FocusPoints(long[] sites) {
        this.sites = sites;
    }

    /** The points in {@code sites} (any order, repeats allowed). */
    public static FocusPoints of(long... sites) {
        long[] sorted = sites.clone();
        Arrays.sort(sorted);
        return new FocusPoints(Arrays.stream(sorted).distinct().toArray());
    }

    /**
     * Reads one address a line (0x hex; blank lines and lines starting with # skipped); an error names the file,
     * the line and what was expected. Read as Latin-1, so a byte that is not UTF-8 shows on its line as one more
     * line that is not an address (as UTF-8, its exception named neither the file nor the line).
     */
    public static FocusPoints read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such focus file: make one with kcov-explorer points", e);
        }
        long[] sites = new long[lines.size()];
        int n = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (!line.startsWith("0x") || line.length() < 3 || line.length() > 18) {
                throw new IOException(file + ":" + (i + 1) + ": expected a 0x-hex address, found '" + line + "'");
            }
            try {
                sites[n++] = Long.parseUnsignedLong(line.substring(2), 16);
            } catch (NumberFormatException e) {
                throw new IOException(file + ":" + (i + 1) + ": expected a 0x-hex address, found '" + line + "'");
            }
        }
        if (n == 0) {
            throw new IOException(file + ": no coverage points: a focus must list at least one");
        }
        return of(Arrays.copyOf(sites, n));
    }

    /** Whether the return address {@code pc} follows a call at one of the points. */
    public boolean contains(long pc) {
        return Arrays.binarySearch(sites, pc - 5) >= 0 || Arrays.binarySearch(sites, pc - 4) >= 0;
    }

    /** How many points. */
    public int size() {
        return sites.length;
    }
}
