package dev.kcovexplorer.symbolizer.index;

import dev.kcovexplorer.symbolizer.AddressSymbolizer;
import dev.kcovexplorer.symbolizer.Frame;
import dev.kcovexplorer.symbolizer.FrameTable;
import dev.kcovexplorer.symbolizer.StringInterner;
import dev.kcovexplorer.symbolizer.Symbolizer;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.points.CoveragePointScanner;
import dev.kcovexplorer.symbolizer.points.CoveragePoints;
import dev.kcovexplorer.symbolizer.points.RemoteSectionCalls;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.UnaryOperator;

/**
 * Builds the {@link KernelIndex} of an image: its coverage points (calls and tail calls of the PC
 * callback) and comparison sites (of the comparison hooks), the inline chain of every call site, and
 * the tail-call table of each.
 */
public final class KernelIndexBuilder {
    /** Points an external backend symbolizes per request: large enough to amortize, small enough for smooth progress. */
    private static final int SLICE = 65_536;
    /** What our symbolizer and the external tools call an unknown function or file. */
    private static final String UNKNOWN = Symbolizer.UNKNOWN;

    /** Opens the symbolizer that gives every point its inline chain. */
    @FunctionalInterface
    public interface SymbolizerFactory {
        AddressSymbolizer open(ElfFile elf) throws IOException;
    }

    /** Null: our own DWARF {@link Symbolizer}, whose columnar bulk API needs no per-frame objects. */
    private final SymbolizerFactory symbolizers;

    /** A builder that symbolizes with our own DWARF reader, in parallel across compile units. */
    public KernelIndexBuilder() {
        this.symbolizers = null;
    }

    /** A builder that symbolizes with another backend (e.g. an external tool, to cross-check). */
    public KernelIndexBuilder(SymbolizerFactory symbolizers) {
        this.symbolizers = java.util.Objects.requireNonNull(symbolizers);
    }

    public KernelIndex build(Path vmlinux, BuildMonitor monitor) throws IOException {
        try (ElfFile elf = ElfFile.open(vmlinux)) {
            return build(elf, monitor);
        }
    }

    public KernelIndex build(ElfFile elf, BuildMonitor monitor) throws IOException {
        Preparation prepared = prepare(elf);
        monitor.progress("scanning coverage points", 0, 1);
        CoveragePoints scanned = CoveragePointScanner.scan(elf);
        monitor.progress("scanning coverage points", 1, 1);
        return build(elf, scanned, prepared, monitor);
    }

    /**
     * Starts what a build of {@code elf} needs that does not depend on its coverage points (reading the
     * DWARF's units and their code ranges for our own reader, finding the remote-section calls) on a thread
     * of its own, so that it overlaps the scan for coverage points; hand it to
     * {@link #build(ElfFile, CoveragePoints, Preparation, BuildMonitor)}, or {@link Preparation#discard()} it.
     */
    public Preparation prepare(ElfFile elf) {
        return new Preparation(Concurrently.start("index-prepare", () -> new Prepared(
                symbolizers == null ? Symbolizer.of(elf) : null, RemoteSectionCalls.scan(elf))));
    }

    /** What {@link #prepare} reads: our own symbolizer (null for another backend) and the remote-section calls. */
    private record Prepared(Symbolizer symbolizer, RemoteSectionCalls remoteCalls) {
    }

    /** A build's preparation under way ({@link #prepare}). */
    public static final class Preparation {
        private final Concurrently<Prepared> work;

        private Preparation(Concurrently<Prepared> work) {
            this.work = work;
        }

        /** Waits for it and drops it: no build follows (the file may be closed once this returns). */
        public void discard() {
            try {
                work.get();
            } catch (RuntimeException e) {
                // The build that would have used it is not made: whoever reads this file next reports it.
            }
        }

        /**
         * Waits for it and keeps only its DWARF reader of {@code elf}, for answers without a build (read now for a
         * builder that symbolizes with another backend); a malformed file fails here with its own message.
         */
        public Symbolizer symbolizer(ElfFile elf) {
            Symbolizer read = work.get().symbolizer();
            return read != null ? read : Symbolizer.of(elf);
        }

        /** The DWARF reader a build symbolized the sites with (null when another backend did): for what it missed. */
        Symbolizer builtWith() {
            return work.get().symbolizer();
        }
    }

    /**
     * The index of {@code elf} from its coverage points, already scanned (by a caller deciding whether to build),
     * with the DWARF {@link #prepare}d meanwhile. The tail-call tables (two more branch scans of the text each)
     * are made on a thread of their own while the points are symbolized.
     */
    public KernelIndex build(ElfFile elf, CoveragePoints scanned, Preparation prepared, BuildMonitor monitor)
            throws IOException {
        Points points = Points.of(scanned);
        Concurrently<SideTables> side = Concurrently.start("index-tail-calls", () -> new SideTables(elf, scanned));
        checkCancelled(monitor);

        Prepared ready = prepared.work.get();
        Chains chains = symbolizers == null ? ownChains(ready.symbolizer, points, ready.remoteCalls, monitor)
                : backendChains(elf, points, ready.remoteCalls, monitor);
        String compDir = chains.compDir != null ? chains.compDir : commonDirectory(chains.strings, chains.frames);
        return points.toIndex(elf, side.get(), compDir, chains.chainStart, chains.frames, chains.strings)
                .withRemoteSites(chains.remoteSites);
    }

    /** The inline chain of every site ({@link Points#allSites()} order), and of the remote-section calls. */
    private record Chains(int[] chainStart, FrameColumns frames, String[] strings, String compDir,
                          RemoteSites remoteSites) {
    }

    /**
     * From our own reader, all sites in one request in the index's order: it groups them by compile unit
     * itself, so each unit is parsed once, both cores stay busy to the end, and its table is the index's
     * columns as they are.
     */
    private static Chains ownChains(Symbolizer symbolizer, Points points, RemoteSectionCalls remoteCalls,
                                    BuildMonitor monitor) throws IOException {
        long[] addresses = points.allSites();
        int n = addresses.length;
        FrameTable table = symbolizer.symbolizeAll(addresses, Runtime.getRuntime().availableProcessors(),
                answered -> {
                    monitor.progress("symbolizing points", answered, n);
                    checkCancelled(monitor);
                });
        int[] chainStart = new int[n + 1];
        for (int i = 0; i <= n; i++) {
            chainStart[i] = i < n ? table.frameStart(i) : table.frameCount();
        }
        FrameColumns frames = new FrameColumns(table.frameCount());
        for (int f = 0; f < table.frameCount(); f++) {
            int linkage = table.linkageId(f);
            frames.add(table.functionId(f), table.fileId(f), table.line(f), table.column(f),
                    linkage == FrameTable.NO_LINKAGE ? KernelIndex.NO_LINKAGE : linkage);
        }
        String[] strings = new String[table.stringCount()];
        for (int i = 0; i < strings.length; i++) {
            strings[i] = table.string(i);
        }
        UnaryOperator<String> oneTree = SourceRoots.ontoSourceRoot(symbolizer);
        return new Chains(chainStart, frames, oneTree(strings, frames, oneTree), symbolizer.sourceRoot(),
                remoteSites(remoteCalls, symbolizer, oneTree));
    }

    /**
     * The strings with {@code oneTree} applied, each distinct one once (a header both trees include becomes one
     * file), in their order; the frames' ids renumbered to match.
     */
    private static String[] oneTree(String[] strings, FrameColumns frames, UnaryOperator<String> oneTree) {
        java.util.Map<String, Integer> ids = new java.util.HashMap<>();
        List<String> out = new java.util.ArrayList<>(strings.length);
        int[] renumbered = new int[strings.length];
        for (int i = 0; i < strings.length; i++) {
            String s = oneTree.apply(strings[i]);
            Integer id = ids.putIfAbsent(s, out.size());
            if (id == null) {
                id = out.size();
                out.add(s);
            }
            renumbered[i] = id;
        }
        if (out.size() == strings.length && out.equals(Arrays.asList(strings))) {
            return strings;
        }
        for (int f = 0; f < frames.size; f++) {
            frames.function[f] = renumbered[frames.function[f]];
            frames.file[f] = renumbered[frames.file[f]];
            if (frames.linkage[f] != KernelIndex.NO_LINKAGE) {
                frames.linkage[f] = renumbered[frames.linkage[f]];
            }
        }
        return out.toArray(new String[0]);
    }

    /** From another backend, in slices of {@link #SLICE} addresses in address order. */
    private Chains backendChains(ElfFile elf, Points points, RemoteSectionCalls remoteCalls, BuildMonitor monitor)
            throws IOException {
        StringInterner strings = new StringInterner();
        long[] addresses = points.allSites();
        int n = addresses.length;
        int pointCount = points.addresses.length;
        // Symbolized in address order; the chains are kept in two sets of columns, the points' and the sites'.
        int[] order = points.inAddressOrder();
        int[] chainStart = new int[n + 1];
        // About two frames per chain.
        FrameColumns pointFrames = new FrameColumns(2 * pointCount);
        FrameColumns siteFrames = new FrameColumns(2 * (n - pointCount));
        RemoteSites remoteSites;
        try (AddressSymbolizer symbolizer = symbolizers.open(elf)) {
            for (int from = 0; from < n; from += SLICE) {
                checkCancelled(monitor);
                int to = Math.min(n, from + SLICE);
                List<List<Frame>> chains = symbolizer.symbolize(slice(addresses, order, from, to));
                for (int k = from; k < to; k++) {
                    int site = order[k];
                    FrameColumns frames = site < pointCount ? pointFrames : siteFrames;
                    chainStart[site] = frames.size;
                    for (Frame f : chains.get(k - from)) {
                        frames.add(strings.id(f.function() == null ? UNKNOWN : f.function()),
                                strings.id(f.file() == null ? UNKNOWN : f.file()), f.line(), f.column(),
                                f.linkage() == null ? KernelIndex.NO_LINKAGE : strings.id(f.linkage()));
                    }
                }
                monitor.progress("symbolizing points", to, n);
            }
            remoteSites = remoteSites(remoteCalls, symbolizer, UnaryOperator.identity());
        }
        // The sites' chains follow the points' in the index's one set of frame columns.
        for (int site = pointCount; site < n; site++) {
            chainStart[site] += pointFrames.size;
        }
        FrameColumns frames = pointFrames.followedBy(siteFrames);
        chainStart[n] = frames.size;
        return new Chains(chainStart, frames, strings.toArray(), null, remoteSites);
    }

    /** The addresses at {@code order[from..to)}. */
    private static long[] slice(long[] addresses, int[] order, int from, int to) {
        long[] slice = new long[to - from];
        for (int k = from; k < to; k++) {
            slice[k - from] = addresses[order[k]];
        }
        return slice;
    }

    /** The calls that open and close remote sections, with the inline chains of their sites ({@code files} applied). */
    private static RemoteSites remoteSites(RemoteSectionCalls calls, AddressSymbolizer symbolizer,
                                           UnaryOperator<String> files) throws IOException {
        List<List<Frame>> chains = new java.util.ArrayList<>();
        for (List<Frame> chain : symbolizer.symbolize(calls.sites())) {
            chains.add(chain.stream().map(f -> new Frame(f.function() == null ? UNKNOWN : f.function(), null,
                    f.file() == null ? UNKNOWN : files.apply(f.file()), f.line(), f.column())).toList());
        }
        return new RemoteSites(calls.sites(), calls.kinds(), chains);
    }

    /**
     * The index without inline chains: enough to attribute PCs (points and tail table), in a fraction
     * of a second, when no symbolized index is at hand.
     */
    public static KernelIndex pointsOnly(ElfFile elf) {
        CoveragePoints scanned = CoveragePointScanner.scan(elf);
        Points points = Points.of(scanned);
        return points.toIndex(elf, new SideTables(elf, scanned), null, new int[points.allSites().length + 1],
                new FrameColumns(0), new String[0]);
    }

    private static void checkCancelled(BuildMonitor monitor) {
        if (monitor.isCancelled()) {
            throw new CancellationException("index build cancelled");
        }
    }

    /** The deepest directory all source files share: the kernel tree as the compiler saw it. */
    private static String commonDirectory(String[] strings, FrameColumns frames) {
        String prefix = null;
        for (int i = 0; i < frames.size; i++) {
            String file = strings[frames.file[i]];
            if (!file.startsWith("/")) {
                continue;
            }
            if (prefix == null) {
                prefix = file.substring(0, file.lastIndexOf('/') + 1);
            }
            while (!file.startsWith(prefix)) {
                prefix = prefix.substring(0, prefix.lastIndexOf('/', prefix.length() - 2) + 1);
            }
        }
        return prefix == null || prefix.equals("/") ? null : prefix.substring(0, prefix.length() - 1);
    }

    /** The tail tables of the points and of the comparison sites, made from the scanned points. */
    private static final class SideTables {
        final TailCallTable tails;
        final TailCallTable comparisonTails;

        SideTables(ElfFile elf, CoveragePoints scanned) {
            this.tails = TailCallTableBuilder.build(elf, scanned);
            this.comparisonTails = TailCallTableBuilder.build(elf, scanned.comparisonTails());
        }
    }

    /**
     * Calls and tail calls merged into one sorted point list; the tail tables come in point indices
     * ({@link #toIndex}).
     */
    private static final class Points {
        final long[] addresses;
        final byte[] kinds;
        final CoveragePoints scanned;

        private Points(long[] addresses, byte[] kinds, CoveragePoints scanned) {
            this.addresses = addresses;
            this.kinds = kinds;
            this.scanned = scanned;
        }

        /** The points, then the comparison sites: what gets an inline chain. */
        long[] allSites() {
            long[] sites = scanned.comparisonSites();
            long[] all = Arrays.copyOf(addresses, addresses.length + sites.length);
            System.arraycopy(sites, 0, all, addresses.length, sites.length);
            return all;
        }

        static Points of(CoveragePoints scanned) {
            long[] calls = scanned.calls();
            long[] tailSites = scanned.tails();
            long[] addresses = new long[calls.length + tailSites.length];
            byte[] kinds = new byte[addresses.length];
            int c = 0;
            int t = 0;
            for (int i = 0; i < addresses.length; i++) {
                boolean takeCall = t == tailSites.length || (c < calls.length && calls[c] < tailSites[t]);
                addresses[i] = takeCall ? calls[c++] : tailSites[t++];
                kinds[i] = takeCall ? KernelIndex.CALL : KernelIndex.TAIL_CALL;
            }
            return new Points(addresses, kinds, scanned);
        }

        /**
         * The indices of {@link #allSites()} by ascending address: the points and the sites are each sorted,
         * so one merge orders them.
         */
        int[] inAddressOrder() {
            long[] sites = scanned.comparisonSites();
            int[] order = new int[addresses.length + sites.length];
            int p = 0;
            int s = 0;
            for (int k = 0; k < order.length; k++) {
                boolean takePoint = s == sites.length || (p < addresses.length && addresses[p] < sites[s]);
                order[k] = takePoint ? p++ : addresses.length + s++;
            }
            return order;
        }

        /** {@code chainStart} covers {@link #allSites()}: the points' chains first, then the sites'. */
        KernelIndex toIndex(ElfFile elf, SideTables side, String compDir, int[] chainStart, FrameColumns frames,
                            String[] strings) {
            TailCallTable tails = side.tails;
            TailCallTable comparisonTails = side.comparisonTails;
            int n = addresses.length;
            long[] sites = scanned.comparisonSites();
            return new KernelIndex(elf.buildId(), elf.machine().archName(), compDir, addresses, kinds,
                    Arrays.copyOf(chainStart, n + 1), frames.trimmed(frames.function), frames.trimmed(frames.file),
                    frames.trimmed(frames.line), frames.trimmed(frames.column), frames.trimmed(frames.linkage), strings,
                    tails.returnAddresses(), tails.candidateStart(), indicesOf(tails.candidates(), addresses))
                    .withComparisonSites(sites, scanned.comparisonTypes(),
                            Arrays.copyOfRange(chainStart, n, n + sites.length + 1), comparisonTails.returnAddresses(),
                            comparisonTails.candidateStart(), indicesOf(comparisonTails.candidates(), sites))
                    .withTailCallLinks(new TailCallLinks(tails.links().importReturns(), tails.links().importNames(),
                            tails.links().exportNames(), tails.links().exportCandidateStart(),
                            indicesOf(tails.links().exportSites(), addresses), tails.links().forwardNames(),
                            tails.links().forwardTargets()));
        }

        private static int[] indicesOf(long[] candidateSites, long[] sortedSites) {
            int[] out = new int[candidateSites.length];
            for (int i = 0; i < candidateSites.length; i++) {
                out[i] = Arrays.binarySearch(sortedSites, candidateSites[i]);
            }
            return out;
        }
    }

    /** Growable frame columns (function id, file id, line, column, linkage id). */
    private static final class FrameColumns {
        int[] function;
        int[] file;
        int[] line;
        int[] column;
        int[] linkage;
        int size;

        /** Room for {@code frames} frames (at least a few) before the columns grow. */
        FrameColumns(int frames) {
            int capacity = Math.max(16, frames);
            function = new int[capacity];
            file = new int[capacity];
            line = new int[capacity];
            column = new int[capacity];
            linkage = new int[capacity];
        }

        void add(int functionId, int fileId, int lineNumber, int columnNumber, int linkageId) {
            if (size == function.length) {
                function = Arrays.copyOf(function, size * 2);
                file = Arrays.copyOf(file, size * 2);
                line = Arrays.copyOf(line, size * 2);
                column = Arrays.copyOf(column, size * 2);
                linkage = Arrays.copyOf(linkage, size * 2);
            }
            function[size] = functionId;
            file[size] = fileId;
            line[size] = lineNumber;
            column[size] = columnNumber;
            linkage[size] = linkageId;
            size++;
        }

        /** These columns with {@code next}'s appended. */
        FrameColumns followedBy(FrameColumns next) {
            FrameColumns all = new FrameColumns(0);
            all.function = concat(function, size, next.function, next.size);
            all.file = concat(file, size, next.file, next.size);
            all.line = concat(line, size, next.line, next.size);
            all.column = concat(column, size, next.column, next.size);
            all.linkage = concat(linkage, size, next.linkage, next.size);
            all.size = size + next.size;
            return all;
        }

        private static int[] concat(int[] a, int aSize, int[] b, int bSize) {
            int[] out = Arrays.copyOf(a, aSize + bSize);
            System.arraycopy(b, 0, out, aSize, bSize);
            return out;
        }

        int[] trimmed(int[] column) {
            return column.length == size ? column : Arrays.copyOf(column, size);
        }
    }
}
