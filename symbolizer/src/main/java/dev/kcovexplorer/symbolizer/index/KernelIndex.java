package dev.kcovexplorer.symbolizer.index;

import dev.kcovexplorer.symbolizer.Frame;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Everything the coverage model needs to know about one kernel image, in compact columnar arrays:
 * its coverage points with their inline chains, and the table that attributes tail-called coverage.
 * It is what the symbolizer builds from a vmlinux, what the index cache and session files store,
 * and what the model reads; no vmlinux is needed once it exists.
 *
 * <p>Points are the call-site addresses of {@code __sanitizer_cov_trace_pc} calls and tail calls,
 * sorted ascending. Point {@code p}'s inline chain is frames {@code chainStart[p] .. chainStart[p+1]-1},
 * innermost first. Frame columns index into {@link #strings()}.
 *
 * <p>Tail-call attribution: a recorded return address R that is no point but follows a direct
 * {@code call F}, where F (or a function F tail-jumps to, one level) tail-calls the callback, is
 * listed in {@code tailReturnAddresses} (sorted); its candidate points are
 * {@code tailCandidates[tailCandidateStart[i] .. tailCandidateStart[i+1]-1]}. One candidate means
 * an exact attribution.
 *
 * <p>Comparison sites (calls and tail calls of the {@code __sanitizer_cov_trace_*cmp*} and
 * {@code _switch} hooks) are a second point set of the same shape, {@link #comparisonSites()}: an
 * index that shares this one's frames and strings, whose points are the comparison sites, whose
 * {@link #pointKind(int)} is a {@code ComparisonType} byte and whose tail table is the hooks' own, so
 * that TRACE_CMP {@code ip}s are attributed by exactly the code that attributes TRACE_PC PCs.
 */
public final class KernelIndex {
    /** Point kinds. */
    public static final byte CALL = 0;
    public static final byte TAIL_CALL = 1;
    /** {@link #frameLinkageId(int)} of frames whose linkage name is their function name. */
    public static final int NO_LINKAGE = -1;

    private final String buildId;
    private final String arch;
    private final String compDir;
    private final long[] points;
    private final byte[] pointKinds;
    private final int[] chainStart;
    private final int[] frameFunction;
    private final int[] frameFile;
    private final int[] frameLine;
    private final int[] frameColumn;
    private final int[] frameLinkage;
    private final String[] strings;
    private final long[] tailReturnAddresses;
    private final int[] tailCandidateStart;
    private final int[] tailCandidates;
    /** The remote-section call sites, or null when this index was made before they were indexed. */
    private RemoteSites remoteSites;
    /** The comparison-site index, or null when this index was made before comparison sites were indexed. */
    private KernelIndex comparisons;
    /** The tail-call table's links to other images, or null when this index was made before they were indexed. */
    private TailCallLinks tailCallLinks;

    /** An index without columns and linkage names (every column 0, no linkage). */
    public KernelIndex(String buildId, String arch, String compDir, long[] points, byte[] pointKinds,
                       int[] chainStart, int[] frameFunction, int[] frameFile, int[] frameLine,
                       String[] strings, long[] tailReturnAddresses, int[] tailCandidateStart,
                       int[] tailCandidates) {
        this(buildId, arch, compDir, points, pointKinds, chainStart, frameFunction, frameFile, frameLine,
                new int[frameFunction.length], noLinkage(frameFunction.length), strings, tailReturnAddresses,
                tailCandidateStart, tailCandidates);
    }

    /**
     * @param frameColumn  1-based column per frame, 0 when unknown
     * @param frameLinkage string id of the symtab/linkage name when it differs from the function name, else
     *                     {@link #NO_LINKAGE}
     */
    public KernelIndex(String buildId, String arch, String compDir, long[] points, byte[] pointKinds,
                       int[] chainStart, int[] frameFunction, int[] frameFile, int[] frameLine, int[] frameColumn,
                       int[] frameLinkage, String[] strings, long[] tailReturnAddresses, int[] tailCandidateStart,
                       int[] tailCandidates) {
        this.buildId = buildId;
        this.arch = Objects.requireNonNull(arch);
        this.compDir = compDir;
        this.points = points;
        this.pointKinds = pointKinds;
        this.chainStart = chainStart;
        this.frameFunction = frameFunction;
        this.frameFile = frameFile;
        this.frameLine = frameLine;
        this.frameColumn = frameColumn;
        this.frameLinkage = frameLinkage;
        this.strings = strings;
        this.tailReturnAddresses = tailReturnAddresses;
        this.tailCandidateStart = tailCandidateStart;
        this.tailCandidates = tailCandidates;
        if (pointKinds.length != points.length || chainStart.length != points.length + 1
                || frameFile.length != frameFunction.length || frameLine.length != frameFunction.length
                || frameColumn.length != frameFunction.length || frameLinkage.length != frameFunction.length
                || tailCandidateStart.length != tailReturnAddresses.length + 1) {
            throw new IllegalArgumentException("inconsistent kernel index arrays");
        }
    }

    /** GNU build id as lower-case hex, or {@code null} when the image has none. */
    public String buildId() {
        return buildId;
    }

    /** "x86_64", "aarch64", "i386" or "arm": decides the return-address offset (5 or 4). */
    public String arch() {
        return arch;
    }

    /** Bytes from a callback call to the return address kcov records: 5 on x86, 4 on arm and arm64. */
    public int callLength() {
        return arch.equals("x86_64") || arch.equals("i386") ? 5 : 4;
    }

    /** The DWARF comp dir of the build (the kernel source root as the compiler saw it), or null. */
    public String compDir() {
        return compDir;
    }

    public int pointCount() {
        return points.length;
    }

    public long pointAddress(int point) {
        return points[point];
    }

    public byte pointKind(int point) {
        return pointKinds[point];
    }

    /** Index of the point at exactly {@code address}, or a negative value. */
    public int findPoint(long address) {
        return Arrays.binarySearch(points, address);
    }

    /**
     * {@link #findPoint(long)}, trying point {@code guess} first: the one after the previous address's
     * answers a sorted list of points (a kernel's, 566k) without a search each.
     */
    public int findPoint(long address, int guess) {
        return guess >= 0 && guess < points.length && points[guess] == address ? guess : findPoint(address);
    }

    public int chainStart(int point) {
        return chainStart[point];
    }

    public int chainEnd(int point) {
        return chainStart[point + 1];
    }

    public int frameCount() {
        return frameFunction.length;
    }

    public String frameFunction(int frame) {
        return strings[frameFunction[frame]];
    }

    public String frameFile(int frame) {
        return strings[frameFile[frame]];
    }

    public int frameFunctionId(int frame) {
        return frameFunction[frame];
    }

    public int frameFileId(int frame) {
        return frameFile[frame];
    }

    public int frameLine(int frame) {
        return frameLine[frame];
    }

    public int frameColumn(int frame) {
        return frameColumn[frame];
    }

    /** The symtab/linkage name when it differs from {@link #frameFunction(int)} ("foo.isra.0"), else null. */
    public String frameLinkage(int frame) {
        return frameLinkage[frame] == NO_LINKAGE ? null : strings[frameLinkage[frame]];
    }

    public int frameLinkageId(int frame) {
        return frameLinkage[frame];
    }

    /** Frame {@code frame} as a record. */
    public Frame frame(int frame) {
        return new Frame(frameFunction(frame), frameLinkage(frame), frameFile(frame), frameLine[frame],
                frameColumn[frame]);
    }

    /** Point {@code point}'s inline chain, innermost first. */
    public List<Frame> frames(int point) {
        List<Frame> out = new ArrayList<>(chainStart[point + 1] - chainStart[point]);
        for (int f = chainStart[point]; f < chainStart[point + 1]; f++) {
            out.add(frame(f));
        }
        return out;
    }

    public String string(int id) {
        return strings[id];
    }

    public int stringCount() {
        return strings.length;
    }

    public int tailReturnAddressCount() {
        return tailReturnAddresses.length;
    }

    public long tailReturnAddress(int entry) {
        return tailReturnAddresses[entry];
    }

    /** Candidate tail-call points of a tail-table entry (one = exact). */
    public int[] tailCandidates(int entry) {
        return Arrays.copyOfRange(tailCandidates, tailCandidateStart[entry], tailCandidateStart[entry + 1]);
    }

    /** How many candidate points a tail-table entry has (1 = exact attribution). */
    public int tailCandidateCount(int entry) {
        return tailCandidateStart[entry + 1] - tailCandidateStart[entry];
    }

    /** This index with the calls of {@code kcov_remote_start} / {@code kcov_remote_stop} it was built from. */
    public KernelIndex withRemoteSites(RemoteSites sites) {
        KernelIndex copy = copy();
        copy.remoteSites = Objects.requireNonNull(sites);
        return copy;
    }

    /** The same columns with the same optional blocks, for the {@code with…} methods to replace one of them. */
    private KernelIndex copy() {
        KernelIndex copy = new KernelIndex(buildId, arch, compDir, points, pointKinds, chainStart, frameFunction,
                frameFile, frameLine, frameColumn, frameLinkage, strings, tailReturnAddresses, tailCandidateStart,
                tailCandidates);
        copy.remoteSites = remoteSites;
        copy.comparisons = comparisons;
        copy.tailCallLinks = tailCallLinks;
        return copy;
    }

    /** This index with its tail-call table's links to other images; export candidates are point indices. */
    public KernelIndex withTailCallLinks(TailCallLinks links) {
        for (int candidate : links.exportCandidates()) {
            if (candidate < 0 || candidate >= points.length) {
                throw new IllegalArgumentException("tail-call export candidate " + candidate + " outside the "
                        + points.length + " points");
            }
        }
        KernelIndex copy = copy();
        copy.tailCallLinks = links;
        return copy;
    }

    /** True when the index knows its tail-call links to other images (made by a version that indexes them). */
    public boolean hasTailCallLinks() {
        return tailCallLinks != null;
    }

    /** Its tail-call links to other images; {@link TailCallLinks#NONE} for an index made before they were indexed. */
    public TailCallLinks tailCallLinks() {
        return tailCallLinks == null ? TailCallLinks.NONE : tailCallLinks;
    }

    /**
     * This index with its comparison sites; the sites' chains ({@code chainStart}, one more than sites)
     * point into this index's frame columns, candidates are site indices.
     */
    public KernelIndex withComparisonSites(long[] sites, byte[] types, int[] siteChainStart,
                                           long[] siteTailReturnAddresses, int[] siteTailCandidateStart,
                                           int[] siteTailCandidates) {
        for (int start : siteChainStart) {
            if (start < 0 || start > frameFunction.length) {
                throw new IllegalArgumentException("comparison-site chain start " + start + " outside the "
                        + frameFunction.length + " frames");
            }
        }
        KernelIndex copy = copy();
        copy.comparisons = new KernelIndex(buildId, arch, compDir, sites, types, siteChainStart, frameFunction,
                frameFile, frameLine, frameColumn, frameLinkage, strings, siteTailReturnAddresses,
                siteTailCandidateStart, siteTailCandidates);
        return copy;
    }

    /** True when the index knows the image's comparison sites (made by a version that indexes them). */
    public boolean hasComparisonSites() {
        return comparisons != null;
    }

    /**
     * The comparison sites as an index of their own (see the class comment); empty for an image without
     * comparison hooks.
     *
     * @throws IllegalStateException when {@link #hasComparisonSites()} is false
     */
    public KernelIndex comparisonSites() {
        if (comparisons == null) {
            throw new IllegalStateException("this kernel index was made before comparison sites were indexed");
        }
        return comparisons;
    }

    /** True when the index knows where remote sections open and close (made by a version that indexes them). */
    public boolean hasRemoteSites() {
        return remoteSites != null;
    }

    /**
     * Where the kernel opens and closes remote coverage sections.
     *
     * @throws IllegalStateException when {@link #hasRemoteSites()} is false
     */
    public RemoteSites remoteSites() {
        if (remoteSites == null) {
            throw new IllegalStateException("this kernel index was made before remote sections were indexed");
        }
        return remoteSites;
    }

    /** Raw arrays for serializers in this package and the session writer; never mutate them. */
    public long[] rawPoints() {
        return points;
    }

    public byte[] rawPointKinds() {
        return pointKinds;
    }

    public int[] rawChainStart() {
        return chainStart;
    }

    public int[] rawFrameFunction() {
        return frameFunction;
    }

    public int[] rawFrameFile() {
        return frameFile;
    }

    public int[] rawFrameLine() {
        return frameLine;
    }

    public int[] rawFrameColumn() {
        return frameColumn;
    }

    public int[] rawFrameLinkage() {
        return frameLinkage;
    }

    public String[] rawStrings() {
        return strings;
    }

    public long[] rawTailReturnAddresses() {
        return tailReturnAddresses;
    }

    public int[] rawTailCandidateStart() {
        return tailCandidateStart;
    }

    public int[] rawTailCandidates() {
        return tailCandidates;
    }

    private static int[] noLinkage(int frames) {
        int[] out = new int[frames];
        Arrays.fill(out, NO_LINKAGE);
        return out;
    }
}
