package dev.kcovexplorer.symbolizer.index;

import dev.kcovexplorer.symbolizer.Frame;
import dev.kcovexplorer.symbolizer.points.RemoteSectionCalls;

import java.util.List;

/**
 * The calls of {@code kcov_remote_start} / {@code kcov_remote_stop} in a kernel, each with the inline
 * chain of its call site (innermost first: the {@code kcov_remote_start_usb()}-style wrapper, then the
 * function that opens the section). A handful per kernel, so plain objects suffice.
 */
public final class RemoteSites {
    /** A kernel without remote sections (or without kcov). */
    public static final RemoteSites NONE = new RemoteSites(new long[0], new byte[0], List.of());

    private final long[] addresses;
    private final byte[] kinds;
    private final List<List<Frame>> chains;

    /**
     * @param addresses sorted call-site addresses
     * @param kinds     {@link RemoteSectionCalls#START} or {@link RemoteSectionCalls#STOP} per site
     * @param chains    the inline chain of each site, innermost first
     */
    public RemoteSites(long[] addresses, byte[] kinds, List<List<Frame>> chains) {
        if (kinds.length != addresses.length || chains.size() != addresses.length) {
            throw new IllegalArgumentException("inconsistent remote sites: " + addresses.length + " addresses, "
                    + kinds.length + " kinds, " + chains.size() + " chains");
        }
        for (byte kind : kinds) {
            if (kind != RemoteSectionCalls.START && kind != RemoteSectionCalls.STOP) {
                throw new IllegalArgumentException("remote site kind " + kind + " is neither start nor stop");
            }
        }
        this.addresses = addresses;
        this.kinds = kinds;
        this.chains = chains.stream().map(List::copyOf).toList();
    }

    public int count() {
        return addresses.length;
    }

    public long address(int site) {
        return addresses[site];
    }

    /** True for a call of {@code kcov_remote_start}, false for {@code kcov_remote_stop}. */
    public boolean isStart(int site) {
        return kinds[site] == RemoteSectionCalls.START;
    }

    byte kind(int site) {
        return kinds[site];
    }

    /** The site's inline chain, innermost first. */
    public List<Frame> chain(int site) {
        return chains.get(site);
    }
}
