package dev.kcovexplorer.app.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.symbolizer.index.KernelIndex;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The layout's line, function and line ↔ function tables against a plain computation over the frames with sorted
 * maps and sets (the layout buckets frames, keeps line numbers in bitmaps and radix-sorts): random inline chains
 * over a few files, two names for one file, a function name the string table holds twice, frames without a file
 * or a line, and line numbers in the millions (too sparse for the bitmap: the layout sorts instead).
 */
class CoverageLayoutTest {
    private static final String[] STRINGS = {"/build/linux/drivers/usb/core/hub.c", "drivers/usb/core/hub.c",
        "/build/linux/include/linux/list.h", "/build/linux/kernel/kcov.c", "??", "", "hub_event", "list_add",
        "hub_event", "kcov_remote_start", "port_event", "a", "z"};
    private static final int FIRST_NAME = 6;

    @Property(tries = 200)
    void theTablesAreThoseOfTheFramesSortedPlainly(@ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int points,
                                                   @ForAll boolean sparseLines) {
        Random random = new Random(seed);
        int[] chainStart = new int[points + 1];
        List<int[]> frames = new ArrayList<>();
        for (int p = 0; p < points; p++) {
            int depth = random.nextInt(4);
            for (int d = 0; d < depth; d++) {
                int file = random.nextInt(FIRST_NAME);
                int line = random.nextInt(8) == 0 ? 0 : 1 + random.nextInt(sparseLines && random.nextBoolean() ? 50_000_000 : 300);
                frames.add(new int[] {FIRST_NAME + random.nextInt(STRINGS.length - FIRST_NAME), file, line});
            }
            chainStart[p + 1] = frames.size();
        }
        // A comparison site's frames after the points' share the columns and count for no line of this layout.
        frames.add(new int[] {FIRST_NAME, 0, 77_777});
        long[] pcs = new long[points];
        int[] function = new int[frames.size()];
        int[] file = new int[frames.size()];
        int[] line = new int[frames.size()];
        for (int p = 0; p < points; p++) {
            pcs[p] = 0x1000 + 8L * p;
        }
        for (int f = 0; f < frames.size(); f++) {
            function[f] = frames.get(f)[0];
            file[f] = frames.get(f)[1];
            line[f] = frames.get(f)[2];
        }
        KernelIndex index = new KernelIndex(null, "x86_64", "/build/linux", pcs, new byte[points], chainStart, function,
                file, line, STRINGS, new long[0], new int[] {0}, new int[0]);
        PathMapper paths = PathMapper.forCompDir("/build/linux");

        CoverageLayout layout = CoverageLayout.build(index, paths);

        // Lines: (path, number) over the points' frames with a file and a line, sorted by path then number.
        TreeMap<String, TreeSet<Integer>> lines = new TreeMap<>();
        // Functions: (path, name id) with the lowest line number of their frames.
        Map<String, Map<Integer, Integer>> firstLine = new TreeMap<>();
        for (int f = 0; f < chainStart[points]; f++) {
            String path = pathOf(paths, file[f]);
            if (path == null) {
                continue;
            }
            firstLine.computeIfAbsent(path, k -> new TreeMap<>()).merge(function[f], line[f],
                    (a, b) -> a == 0 ? b : b == 0 ? a : Math.min(a, b));
            if (line[f] > 0) {
                lines.computeIfAbsent(path, k -> new TreeSet<>()).add(line[f]);
            }
        }
        List<String> expectedLines = new ArrayList<>();
        lines.forEach((path, numbers) -> numbers.forEach(n -> expectedLines.add(path + ":" + n)));
        List<String> actualLines = new ArrayList<>();
        for (int l = 0; l < layout.lineCount(); l++) {
            actualLines.add(layout.filePath(layout.lineFile(l)) + ":" + layout.lineNumber(l));
        }
        assertThat(actualLines).isEqualTo(expectedLines);

        List<String> expectedFunctions = new ArrayList<>();
        firstLine.forEach((path, byName) -> byName.entrySet().stream()
                .sorted(Comparator.<Map.Entry<Integer, Integer>>comparingInt(e -> e.getValue() == 0 ? Integer.MAX_VALUE : e.getValue())
                        .thenComparing(e -> STRINGS[e.getKey()]).thenComparingInt(Map.Entry::getKey))
                .forEach(e -> expectedFunctions.add(path + " " + STRINGS[e.getKey()] + " @" + e.getValue())));
        List<String> actualFunctions = new ArrayList<>();
        for (int fn = 0; fn < layout.functionCount(); fn++) {
            actualFunctions.add(layout.filePath(layout.functionFile(fn)) + " " + layout.functionName(fn) + " @" + layout.functionFirstLine(fn));
        }
        assertThat(actualFunctions).isEqualTo(expectedFunctions);

        // Per point its lines; per line its functions (both from the same frames), each sorted and distinct.
        TreeMap<String, TreeSet<String>> functionsOfLine = new TreeMap<>();
        for (int p = 0; p < points; p++) {
            TreeSet<String> expected = new TreeSet<>();
            for (int f = chainStart[p]; f < chainStart[p + 1]; f++) {
                String path = pathOf(paths, file[f]);
                if (path != null && line[f] > 0) {
                    expected.add(path + ":" + line[f]);
                    functionsOfLine.computeIfAbsent(path + ":" + line[f], k -> new TreeSet<>())
                            .add(path + " " + STRINGS[function[f]]);
                }
            }
            TreeSet<String> actual = new TreeSet<>();
            Csr pointLines = layout.pointLinesTable();
            for (int i = pointLines.start[p]; i < pointLines.start[p + 1]; i++) {
                actual.add(actualLines.get(pointLines.values[i]));
            }
            assertThat(actual).as("lines of point %d", p).isEqualTo(expected);
        }
        Csr lineFunctions = layout.lineFunctionsTable();
        for (int l = 0; l < layout.lineCount(); l++) {
            List<String> actual = new ArrayList<>();
            for (int i = lineFunctions.start[l]; i < lineFunctions.start[l + 1]; i++) {
                int fn = lineFunctions.values[i];
                assertThat(i == lineFunctions.start[l] || lineFunctions.values[i - 1] < fn).as("ascending").isTrue();
                actual.add(layout.filePath(layout.functionFile(fn)) + " " + layout.functionName(fn));
            }
            // A name the string table holds twice is two functions of one name: the set has it once.
            assertThat(new TreeSet<>(actual)).isEqualTo(functionsOfLine.get(actualLines.get(l)));
        }
    }

    /**
     * Line numbers near 2^31 in 128 files (a corrupt index: nothing checks them) would need 2^32 bitmap words: an int
     * sum of the files' words wrapped to 0 and the bitmap was indexed out of bounds. The layout sorts them instead.
     */
    @Example
    void lineNumbersNearTheIntLimitInManyFilesAreSortedNotBitmapped() {
        int files = 128;
        String[] strings = new String[files + 1];
        strings[files] = "hub_event";
        long[] pcs = new long[files];
        int[] chainStart = new int[files + 1];
        int[] function = new int[files];
        int[] file = new int[files];
        int[] line = new int[files];
        for (int p = 0; p < files; p++) {
            strings[p] = String.format("/build/linux/drivers/f%03d.c", p);
            pcs[p] = 0x1000 + 8L * p;
            chainStart[p + 1] = p + 1;
            function[p] = files;
            file[p] = p;
            line[p] = Integer.MAX_VALUE - p;
        }
        KernelIndex index = new KernelIndex(null, "x86_64", "/build/linux", pcs, new byte[files], chainStart, function,
                file, line, strings, new long[0], new int[] {0}, new int[0]);

        CoverageLayout layout = CoverageLayout.build(index, PathMapper.forCompDir("/build/linux"));

        assertThat(layout.lineCount()).isEqualTo(files);
        for (int l = 0; l < files; l++) {
            assertThat(layout.filePath(layout.lineFile(l)) + ":" + layout.lineNumber(l))
                    .isEqualTo(String.format("drivers/f%03d.c:%d", l, Integer.MAX_VALUE - l));
        }
    }

    private static String pathOf(PathMapper paths, int stringId) {
        String dwarf = STRINGS[stringId];
        return dwarf.isEmpty() || dwarf.equals("??") ? null : paths.toRelative(dwarf);
    }
}
