package dev.kcovexplorer.app.model.session;

import dev.kcovexplorer.symbolizer.index.KernelIndex;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The index inside a session file: the {@link KernelIndex} columns as varints (addresses as deltas),
 * which deflate well (a whole kernel stays a few MB). Kept behind this one class so the symbolizer's
 * cache codec can replace it; {@link #read} validates every id so a corrupt file fails with a reason.
 */
final class SessionIndexCodec {
    static final String NAME = "kcovx-index-1";
    private static final int MAX_COUNT = 1 << 28;

    private SessionIndexCodec() {
    }

    static void write(KernelIndex index, DataOutputStream out) throws IOException {
        Varints.writeString(out, index.buildId());
        Varints.writeString(out, index.arch());
        Varints.writeString(out, index.compDir());
        String[] strings = index.rawStrings();
        Varints.write(out, strings.length);
        for (String s : strings) {
            Varints.writeString(out, s);
        }
        long[] points = index.rawPoints();
        writeAddresses(out, points);
        out.write(index.rawPointKinds());
        int[] chainStart = index.rawChainStart();
        for (int p = 0; p < points.length; p++) {
            Varints.write(out, chainStart[p + 1] - chainStart[p]);
        }
        int[] functions = index.rawFrameFunction();
        int[] files = index.rawFrameFile();
        int[] lines = index.rawFrameLine();
        Varints.write(out, functions.length);
        for (int f = 0; f < functions.length; f++) {
            Varints.write(out, functions[f]);
            Varints.write(out, files[f]);
            Varints.write(out, Integer.toUnsignedLong(lines[f]));
        }
        long[] tails = index.rawTailReturnAddresses();
        writeAddresses(out, tails);
        int[] candidateStart = index.rawTailCandidateStart();
        int[] candidates = index.rawTailCandidates();
        for (int t = 0; t < tails.length; t++) {
            Varints.write(out, candidateStart[t + 1] - candidateStart[t]);
        }
        for (int candidate : candidates) {
            Varints.write(out, candidate);
        }
    }

    static KernelIndex read(DataInputStream in) throws IOException {
        String buildId = Varints.readString(in);
        String arch = Varints.readString(in);
        String compDir = Varints.readString(in);
        if (arch == null) {
            throw new IOException("the index names no architecture");
        }
        String[] strings = new String[Varints.readInt(in, MAX_COUNT, "string count")];
        for (int i = 0; i < strings.length; i++) {
            strings[i] = Varints.readString(in);
        }
        long[] points = readAddresses(in, "point");
        byte[] kinds = new byte[points.length];
        in.readFully(kinds);
        for (byte kind : kinds) {
            if (kind != KernelIndex.CALL && kind != KernelIndex.TAIL_CALL) {
                throw new IOException("point kind " + kind + " is neither a call nor a tail call");
            }
        }
        int[] chainStart = new int[points.length + 1];
        for (int p = 0; p < points.length; p++) {
            chainStart[p + 1] = chainStart[p] + Varints.readInt(in, MAX_COUNT, "chain length");
        }
        int frames = Varints.readInt(in, MAX_COUNT, "frame count");
        if (frames != chainStart[points.length]) {
            throw new IOException("chains add up to " + chainStart[points.length] + " frames, the table has " + frames);
        }
        int[] functions = new int[frames];
        int[] files = new int[frames];
        int[] lines = new int[frames];
        for (int f = 0; f < frames; f++) {
            functions[f] = Varints.readInt(in, strings.length - 1L, "frame function id");
            files[f] = Varints.readInt(in, strings.length - 1L, "frame file id");
            lines[f] = Varints.readInt(in, Integer.MAX_VALUE, "frame line");
        }
        long[] tails = readAddresses(in, "tail return address");
        int[] candidateStart = new int[tails.length + 1];
        for (int t = 0; t < tails.length; t++) {
            candidateStart[t + 1] = candidateStart[t] + Varints.readInt(in, MAX_COUNT, "candidate count");
        }
        int[] candidates = new int[candidateStart[tails.length]];
        for (int c = 0; c < candidates.length; c++) {
            candidates[c] = Varints.readInt(in, points.length - 1L, "candidate point");
        }
        return new KernelIndex(buildId, arch, compDir, points, kinds, chainStart, functions, files, lines, strings,
                tails, candidateStart, candidates);
    }

    /** Sorted addresses: the count, the first as 8 bytes, then the (positive) gaps. */
    private static void writeAddresses(DataOutputStream out, long[] sorted) throws IOException {
        Varints.write(out, sorted.length);
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0) {
                out.writeLong(sorted[0]);
            } else {
                Varints.write(out, sorted[i] - sorted[i - 1]);
            }
        }
    }

    private static long[] readAddresses(DataInputStream in, String what) throws IOException {
        long[] out = new long[Varints.readInt(in, MAX_COUNT, what + " count")];
        for (int i = 0; i < out.length; i++) {
            if (i == 0) {
                out[0] = in.readLong();
            } else {
                out[i] = out[i - 1] + Varints.read(in);
                if (out[i] <= out[i - 1]) {
                    throw new IOException(what + "s are not sorted at entry " + i);
                }
            }
        }
        return out;
    }
}
