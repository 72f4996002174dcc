package dev.kcovexplorer.app.model.session;

import dev.kcovexplorer.app.model.modules.SessionModules;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's sorted unique PCs (first PC, then gaps) and hit counts, as varints. From session format 4 on,
 * PCs in a module follow the kernel's as {@code (module, section, offset, count)}, so that a session
 * does not depend on where any one boot loaded its modules.
 */
final class RunCodec {
    private static final int MAX_PCS = 1 << 28;

    private RunCodec() {
    }

    /** What a run entry holds. */
    record Pcs(long[] uniquePcs, int[] hitCounts) {
    }

    static void write(long[] uniquePcs, int[] hitCounts, DataOutputStream out) throws IOException {
        Varints.write(out, uniquePcs.length);
        for (int i = 0; i < uniquePcs.length; i++) {
            if (i == 0) {
                out.writeLong(uniquePcs[0]);
            } else {
                Varints.write(out, uniquePcs[i] - uniquePcs[i - 1]);
            }
        }
        for (int i = 0; i < uniquePcs.length; i++) {
            Varints.write(out, hitCounts == null ? 1 : hitCounts[i]);
        }
    }

    /** The kernel's PCs as {@link #write}, then the count of module PCs and each as four varints. */
    static void writeWithModules(long[] uniquePcs, int[] hitCounts, SessionModules modules, DataOutputStream out)
            throws IOException {
        LongList kernel = new LongList();
        IntList kernelCounts = new IntList();
        List<long[]> inModules = new ArrayList<>(); // module, section, offset, count
        for (int i = 0; i < uniquePcs.length; i++) {
            int count = hitCounts == null ? 1 : hitCounts[i];
            SessionModules.Place place = modules.place(uniquePcs[i]);
            if (place == null) {
                kernel.add(uniquePcs[i]);
                kernelCounts.add(count);
            } else {
                inModules.add(new long[] {place.module(), place.section(), place.offset(), count});
            }
        }
        write(kernel.toArray(), kernelCounts.toArray(), out);
        Varints.write(out, inModules.size());
        for (long[] pc : inModules) {
            for (long field : pc) {
                Varints.write(out, field);
            }
        }
    }

    /** Reads {@link #writeWithModules}: the PCs at the session's addresses for their modules, sorted. */
    static Pcs readWithModules(DataInputStream in, SessionModules modules) throws IOException {
        Pcs kernel = read(in);
        for (long pc : kernel.uniquePcs()) {
            if (modules.place(pc) != null) {
                throw new IOException("kernel PC 0x" + Long.toHexString(pc) + " lies in module "
                        + modules.moduleAt(pc) + ": expected it as (module, section, offset)");
            }
        }
        // Each module PC takes at least four bytes: a corrupt count cannot make us allocate more than is there.
        int n = Varints.readInt(in, Math.min(MAX_PCS, in.available() / 4), "module PC count");
        long[] pcs = new long[n];
        int[] counts = new int[n];
        for (int i = 0; i < n; i++) {
            int module = Varints.readInt(in, modules.modules().size() - 1, "module");
            int section = Varints.readInt(in, modules.modules().get(module).sections().size() - 1, "section");
            long offset = Varints.read(in);
            pcs[i] = modules.address(module, section, offset);
            counts[i] = Varints.readInt(in, Integer.MAX_VALUE, "hit count");
        }
        long[] all = java.util.Arrays.copyOf(kernel.uniquePcs(), kernel.uniquePcs().length + n);
        System.arraycopy(pcs, 0, all, kernel.uniquePcs().length, n);
        int[] allCounts = java.util.Arrays.copyOf(kernel.hitCounts(), all.length);
        System.arraycopy(counts, 0, allCounts, kernel.hitCounts().length, n);
        Integer[] order = new Integer[all.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Long.compare(all[a], all[b]));
        long[] sorted = new long[all.length];
        int[] sortedCounts = new int[all.length];
        for (int k = 0; k < order.length; k++) {
            sorted[k] = all[order[k]];
            sortedCounts[k] = allCounts[order[k]];
            if (k > 0 && sorted[k] == sorted[k - 1]) {
                throw new IOException("PC 0x" + Long.toHexString(sorted[k]) + " is there twice");
            }
        }
        return new Pcs(sorted, sortedCounts);
    }

    /** Reads a run from a stream whose {@code available()} is what is left of the entry (bytes in memory). */
    static Pcs read(DataInputStream in) throws IOException {
        // Every PC takes at least one byte and its count another: a count beyond that is a lie, not an allocation.
        int n = Varints.readInt(in, Math.min(MAX_PCS, in.available() / 2 + 1), "PC count");
        long[] pcs = new long[n];
        for (int i = 0; i < n; i++) {
            if (i == 0) {
                pcs[0] = in.readLong();
            } else {
                pcs[i] = pcs[i - 1] + Varints.read(in);
                if (pcs[i] <= pcs[i - 1]) {
                    throw new IOException("PCs are not sorted and unique at entry " + i);
                }
            }
        }
        int[] counts = new int[n];
        for (int i = 0; i < n; i++) {
            counts[i] = Varints.readInt(in, Integer.MAX_VALUE, "hit count");
        }
        return new Pcs(pcs, counts);
    }

    /** A growable long array. */
    private static final class LongList {
        private long[] values = new long[16];
        private int size;

        void add(long value) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        long[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }

    /** A growable int array. */
    private static final class IntList {
        private int[] values = new int[16];
        private int size;

        void add(int value) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}
