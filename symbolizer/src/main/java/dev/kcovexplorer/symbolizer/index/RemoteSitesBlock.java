package dev.kcovexplorer.symbolizer.index;

import static dev.kcovexplorer.symbolizer.index.BlockReading.count;
import static dev.kcovexplorer.symbolizer.index.BlockReading.fail;
import static dev.kcovexplorer.symbolizer.index.BlockReading.string;

import dev.kcovexplorer.symbolizer.Frame;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The remote-site block of a version-3 {@link KernelIndexCodec} payload, little-endian: the site count,
 * then per site its address (8 bytes), kind (1), frame count (4) and frames (function, file as
 * length-prefixed UTF-8; line, column). A few dozen bytes per site, so no columns.
 */
final class RemoteSitesBlock {
    /** More frames than any inline chain has: a larger count is damage, not data. */
    private static final int MAX_FRAMES = 4096;

    private RemoteSitesBlock() {
    }

    static byte[] encode(RemoteSites sites) {
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(size(sites))).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(sites.count());
        for (int i = 0; i < sites.count(); i++) {
            b.putLong(sites.address(i)).put(sites.kind(i)).putInt(sites.chain(i).size());
            for (Frame f : sites.chain(i)) {
                putString(b, f.function());
                putString(b, f.file());
                b.putInt(f.line()).putInt(f.column());
            }
        }
        return b.array();
    }

    private static long size(RemoteSites sites) {
        long size = 4;
        for (int i = 0; i < sites.count(); i++) {
            size += 13;
            for (Frame f : sites.chain(i)) {
                size += 16 + utf8(f.function()).length + utf8(f.file()).length;
            }
        }
        return size;
    }

    /** Reads the block at {@code b}'s position; {@link IndexFormatException} naming the offset when damaged. */
    static RemoteSites decode(ByteBuffer b) {
        ByteBuffer in = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        try {
            int count = count(in, in.remaining() / 13, "remote sites");
            long[] addresses = new long[count];
            byte[] kinds = new byte[count];
            List<List<Frame>> chains = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                addresses[i] = in.getLong();
                if (i > 0 && addresses[i] <= addresses[i - 1]) {
                    throw fail(in, "remote sites are not sorted and distinct at site " + i);
                }
                kinds[i] = in.get();
                int frames = count(in, MAX_FRAMES, "frames of remote site " + i);
                List<Frame> chain = new ArrayList<>(frames);
                for (int f = 0; f < frames; f++) {
                    String function = string(in);
                    String file = string(in);
                    chain.add(new Frame(function, null, file, in.getInt(), in.getInt()));
                }
                chains.add(chain);
            }
            RemoteSites sites = new RemoteSites(addresses, kinds, chains);
            b.position(in.position());
            return sites;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw fail(in, "remote sites truncated or inconsistent (" + e.getMessage() + ")");
        }
    }

    private static void putString(ByteBuffer b, String s) {
        byte[] bytes = utf8(s);
        b.putInt(bytes.length).put(bytes);
    }

    private static byte[] utf8(String s) {
        return (s == null ? "??" : s).getBytes(StandardCharsets.UTF_8);
    }
}
