package dev.kcovexplorer.symbolizer.index;

import static dev.kcovexplorer.symbolizer.index.BlockReading.count;
import static dev.kcovexplorer.symbolizer.index.BlockReading.fail;
import static dev.kcovexplorer.symbolizer.index.BlockReading.string;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The tail-call links block of a version-5 {@link KernelIndexCodec} payload, little-endian: the import
 * count, then per import its return address (8 bytes) and function name (length-prefixed UTF-8); the
 * export count, then per export its name, candidate count (4) and candidate point indices (4 each); the
 * forward count, then per forward its function's and its target's names. A
 * module has a few hundred imports, a kernel a few thousand exports: no columns.
 */
final class TailCallLinksBlock {
    private TailCallLinksBlock() {
    }

    static byte[] encode(TailCallLinks links) {
        byte[][] importNames = utf8(links.importNames());
        byte[][] exportNames = utf8(links.exportNames());
        long size = 8 + 4L * links.exportCandidates().length;
        for (byte[] name : importNames) {
            size += 12 + name.length;
        }
        for (byte[] name : exportNames) {
            size += 8 + name.length;
        }
        byte[][] forwardNames = utf8(links.forwardNames());
        byte[][] forwardTargets = utf8(links.forwardTargets());
        size += 4;
        for (int i = 0; i < forwardNames.length; i++) {
            size += 8 + forwardNames[i].length + forwardTargets[i].length;
        }
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(importNames.length);
        for (int i = 0; i < importNames.length; i++) {
            b.putLong(links.importReturns()[i]).putInt(importNames[i].length).put(importNames[i]);
        }
        b.putInt(exportNames.length);
        for (int i = 0; i < exportNames.length; i++) {
            int[] candidates = links.exportCandidates(i);
            b.putInt(exportNames[i].length).put(exportNames[i]).putInt(candidates.length);
            for (int c : candidates) {
                b.putInt(c);
            }
        }
        b.putInt(forwardNames.length);
        for (int i = 0; i < forwardNames.length; i++) {
            b.putInt(forwardNames[i].length).put(forwardNames[i]).putInt(forwardTargets[i].length).put(forwardTargets[i]);
        }
        return b.array();
    }

    /**
     * Reads the block at {@code b}'s position for an index of {@code points} points; {@link IndexFormatException}
     * naming the offset when damaged.
     */
    static TailCallLinks decode(ByteBuffer b, int points) {
        ByteBuffer in = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        try {
            int imports = count(in, in.remaining() / 12, "tail-call imports");
            long[] returns = new long[imports];
            String[] importNames = new String[imports];
            for (int i = 0; i < imports; i++) {
                returns[i] = in.getLong();
                if (i > 0 && returns[i] < returns[i - 1]) {
                    throw fail(in, "tail-call imports are not sorted at import " + i);
                }
                importNames[i] = string(in);
            }
            int exports = count(in, in.remaining() / 8, "tail-call exports");
            String[] exportNames = new String[exports];
            int[] start = new int[exports + 1];
            int[] candidates = new int[0];
            for (int i = 0; i < exports; i++) {
                exportNames[i] = string(in);
                int n = count(in, in.remaining() / 4, "candidates of export " + exportNames[i]);
                candidates = java.util.Arrays.copyOf(candidates, Math.max(candidates.length, start[i] + n));
                for (int k = 0; k < n; k++) {
                    int c = in.getInt();
                    if (c < 0 || c >= points) {
                        throw fail(in, "export " + exportNames[i] + " names point " + c + " of " + points);
                    }
                    candidates[start[i] + k] = c;
                }
                start[i + 1] = start[i] + n;
            }
            int forwards = count(in, in.remaining() / 8, "tail-call forwards");
            String[] forwardNames = new String[forwards];
            String[] forwardTargets = new String[forwards];
            for (int i = 0; i < forwards; i++) {
                forwardNames[i] = string(in);
                forwardTargets[i] = string(in);
            }
            TailCallLinks links = new TailCallLinks(returns, importNames, exportNames, start,
                    java.util.Arrays.copyOf(candidates, start[exports]), forwardNames, forwardTargets);
            b.position(in.position());
            return links;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw fail(in, "tail-call links truncated or inconsistent (" + e.getMessage() + ")");
        }
    }

    private static byte[][] utf8(String[] strings) {
        byte[][] out = new byte[strings.length][];
        for (int i = 0; i < strings.length; i++) {
            out[i] = strings[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }
}
