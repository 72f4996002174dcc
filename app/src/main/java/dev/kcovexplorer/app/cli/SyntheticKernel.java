package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.symbolizer.index.KernelIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A kernel-shaped {@link KernelIndex} for benchmarks when no real one is at hand: ~20 points per
 * file in 3-ish functions, points 8..64 bytes apart, 70% of chains one frame deep, the rest through
 * 1–2 inlined header helpers, and ~1.8% tail-call points with a return-address table, as on a
 * defconfig + kcov kernel built by GCC 12.
 */
final class SyntheticKernel {
    private static final long TEXT = 0xffffffff81000000L;

    private SyntheticKernel() {
    }

    static KernelIndex index(int pointCount, SplittableRandom random) {
        List<String> strings = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        int headers = Math.max(1, pointCount / 400);
        long[] points = new long[pointCount];
        byte[] kinds = new byte[pointCount];
        int[] chainStart = new int[pointCount + 1];
        IntColumn function = new IntColumn();
        IntColumn file = new IntColumn();
        IntColumn line = new IntColumn();
        List<Integer> tailPoints = new ArrayList<>();
        long address = TEXT;
        int p = 0;
        int fileNumber = 0;
        while (p < pointCount) {
            String path = "/build/linux/drivers/d" + (fileNumber % 97) + "/s" + (fileNumber % 13) + "/file" + fileNumber + ".c";
            int fileId = intern(path, strings, ids);
            int functionsInFile = 1 + random.nextInt(5);
            int lineNumber = 20;
            for (int fn = 0; fn < functionsInFile && p < pointCount; fn++) {
                int nameId = intern("func_" + fileNumber + "_" + fn, strings, ids);
                int pointsInFunction = 1 + random.nextInt(12);
                for (int k = 0; k < pointsInFunction && p < pointCount; k++, p++) {
                    address += 8 + random.nextInt(57);
                    points[p] = address;
                    chainStart[p] = function.size;
                    lineNumber += random.nextInt(4);
                    double depth = random.nextDouble();
                    if (depth >= 0.7) {
                        int header = random.nextInt(headers);
                        function.add(intern("helper_" + header, strings, ids));
                        file.add(intern("/build/linux/include/linux/h" + header + ".h", strings, ids));
                        line.add(10 + random.nextInt(40));
                        if (depth >= 0.93) {
                            int outer = random.nextInt(headers);
                            function.add(intern("helper_" + outer, strings, ids));
                            file.add(intern("/build/linux/include/linux/h" + outer + ".h", strings, ids));
                            line.add(10 + random.nextInt(40));
                        }
                    }
                    function.add(nameId);
                    file.add(fileId);
                    line.add(lineNumber);
                    if (k == pointsInFunction - 1 && random.nextInt(10) < 2) {
                        kinds[p] = KernelIndex.TAIL_CALL;
                        tailPoints.add(p);
                    }
                }
                lineNumber += 5;
            }
            fileNumber++;
        }
        chainStart[pointCount] = function.size;
        long[] tails = new long[tailPoints.size()];
        int[] candidateStart = new int[tails.length + 1];
        int[] candidates = new int[tails.length];
        long returnAddress = TEXT + 3;
        for (int t = 0; t < tails.length; t++) {
            returnAddress += 2_000 + random.nextInt(4_000);
            tails[t] = returnAddress;
            candidateStart[t + 1] = t + 1;
            candidates[t] = tailPoints.get(t);
        }
        return new KernelIndex(null, "x86_64", "/build/linux", points, kinds, chainStart, function.toArray(),
                file.toArray(), line.toArray(), strings.toArray(String[]::new), tails, candidateStart, candidates);
    }

    /**
     * {@code count} sorted unique PCs as kcov records them: return addresses of a share of the points,
     * some tail-call return addresses, and the rest addresses that resolve to nothing (other modules,
     * stale builds), so attribution walks every path.
     */
    static long[] run(KernelIndex index, int count, double pointShare, SplittableRandom random) {
        long[] pcs = new long[count];
        int n = 0;
        for (int p = 0; p < index.pointCount() && n < count; p++) {
            if (random.nextDouble() < pointShare) {
                pcs[n++] = index.pointAddress(p) + index.callLength();
            }
        }
        for (int t = 0; t < index.tailReturnAddressCount() && n < count; t++) {
            if (random.nextDouble() < pointShare) {
                pcs[n++] = index.tailReturnAddress(t);
            }
        }
        long last = index.pointAddress(index.pointCount() - 1);
        while (n < count) {
            pcs[n++] = last + 0x100000 + random.nextLong(1L << 32);
        }
        Arrays.sort(pcs);
        int unique = 0;
        for (int i = 0; i < pcs.length; i++) {
            if (unique == 0 || pcs[unique - 1] != pcs[i]) {
                pcs[unique++] = pcs[i];
            }
        }
        return Arrays.copyOf(pcs, unique);
    }

    private static int intern(String s, List<String> strings, Map<String, Integer> ids) {
        Integer id = ids.get(s);
        if (id == null) {
            id = strings.size();
            ids.put(s, id);
            strings.add(s);
        }
        return id;
    }

    /** A growable int column. */
    private static final class IntColumn {
        int[] values = new int[1024];
        int size;

        void add(int v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
