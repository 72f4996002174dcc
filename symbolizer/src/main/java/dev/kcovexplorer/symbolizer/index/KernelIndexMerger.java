package dev.kcovexplorer.symbolizer.index;

import dev.kcovexplorer.symbolizer.Frame;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One index made of several images that sit at disjoint addresses: a kernel and the modules it had
 * loaded, each module's index built with its sections placed where the session puts them. The result is
 * what an index of one image would be if all their code were one: points, comparison sites, tail-call
 * tables and remote sites interleaved in address order, strings shared (a header inlined into vmlinux and
 * into a module is one file), every chain unchanged but for where a module's files lie. The kernel's build
 * id, architecture and comp dir name the whole.
 *
 * <p>A module compiled in another directory than the kernel (a copy of the tree, or the headers package an
 * out-of-tree build compiles against) names its sources under its own comp dir; the merged index names
 * those under the kernel's, so that they are relative to the kernel tree as the kernel's own files are
 * (one {@code drivers/usb/core/hub.c}, found where the kernel's sources are). Files outside the module's
 * comp dir (compiler headers, an out-of-tree module's own sources) keep their path.
 */
public final class KernelIndexMerger {
    private KernelIndexMerger() {
    }

    /**
     * The kernel's index with the modules' merged in; {@code kernel} itself when there are none.
     *
     * @throws IllegalArgumentException when an image has another architecture or two put a point, a
     *                                  comparison site or a tail-table entry at the same address
     */
    public static KernelIndex merge(KernelIndex kernel, List<KernelIndex> modules) {
        if (modules.isEmpty()) {
            return kernel;
        }
        List<KernelIndex> parts = new ArrayList<>(modules.size() + 1);
        parts.add(kernel);
        parts.addAll(modules);
        for (KernelIndex module : modules) {
            if (!module.arch().equals(kernel.arch())) {
                throw new IllegalArgumentException("a " + module.arch() + " module (build id " + module.buildId()
                        + ") cannot join a " + kernel.arch() + " kernel");
            }
        }
        Strings strings = new Strings(parts);
        boolean comparisons = parts.stream().allMatch(KernelIndex::hasComparisonSites);
        Order points = Order.of(parts, false);
        Order sites = comparisons ? Order.of(parts, true) : null;

        Frames frames = new Frames();
        int[] chainStart = frames.copyChains(parts, points, strings, false);
        int[] siteChainStart = comparisons ? frames.copyChains(parts, sites, strings, true) : null;
        Tails tails = Tails.of(parts, points, false).with(Tails.linked(parts, points));
        KernelIndex merged = new KernelIndex(kernel.buildId(), kernel.arch(), kernel.compDir(), points.addresses,
                points.kinds(parts, false), chainStart, frames.column(0), frames.column(1), frames.column(2),
                frames.column(3), frames.column(4), strings.table(), tails.addresses, tails.candidateStart,
                tails.candidates);
        if (comparisons) {
            Tails siteTails = Tails.of(parts, sites, true);
            merged = merged.withComparisonSites(sites.addresses, sites.kinds(parts, true), siteChainStart,
                    siteTails.addresses, siteTails.candidateStart, siteTails.candidates);
        }
        if (parts.stream().allMatch(KernelIndex::hasRemoteSites)) {
            merged = merged.withRemoteSites(remoteSites(parts));
        }
        return merged;
    }

    private static KernelIndex view(KernelIndex part, boolean sites) {
        return sites ? part.comparisonSites() : part;
    }

    /** The strings of every part in one table, equal strings once; per part, its ids in the table. */
    private static final class Strings {
        private final List<String> table = new ArrayList<>();
        private final int[][] ids;

        Strings(List<KernelIndex> parts) {
            Map<String, Integer> seen = new HashMap<>();
            ids = new int[parts.size()][];
            String kernelRoot = parts.get(0).compDir();
            for (int k = 0; k < parts.size(); k++) {
                String[] own = parts.get(k).rawStrings();
                String partRoot = parts.get(k).compDir();
                boolean rebase = SourceRoots.isCopy(partRoot, kernelRoot);
                ids[k] = new int[own.length];
                for (int i = 0; i < own.length; i++) {
                    String s = rebase ? SourceRoots.rebased(own[i], partRoot, kernelRoot) : own[i];
                    Integer id = seen.get(s);
                    if (id == null) {
                        id = table.size();
                        seen.put(s, id);
                        table.add(s);
                    }
                    ids[k][i] = id;
                }
            }
        }

        int id(int part, int local) {
            return local == KernelIndex.NO_LINKAGE ? KernelIndex.NO_LINKAGE : ids[part][local];
        }

        String[] table() {
            return table.toArray(new String[0]);
        }
    }

    /** The points (or comparison sites) of all parts in address order: where each came from and went to. */
    private static final class Order {
        final long[] addresses;
        final int[] part;
        final int[] local;
        /** Per part, local index → merged index. */
        final int[][] merged;

        private Order(int n, int parts) {
            addresses = new long[n];
            part = new int[n];
            local = new int[n];
            merged = new int[parts][];
        }

        /** A k-way merge of the parts' sorted addresses, in the signed order {@link KernelIndex#findPoint} searches. */
        static Order of(List<KernelIndex> parts, boolean sites) {
            int total = 0;
            for (KernelIndex p : parts) {
                total += view(p, sites).pointCount();
            }
            Order o = new Order(total, parts.size());
            int[] next = new int[parts.size()];
            for (int k = 0; k < parts.size(); k++) {
                o.merged[k] = new int[view(parts.get(k), sites).pointCount()];
            }
            for (int m = 0; m < total; m++) {
                int best = -1;
                for (int k = 0; k < parts.size(); k++) {
                    KernelIndex v = view(parts.get(k), sites);
                    if (next[k] < v.pointCount() && (best < 0
                            || v.pointAddress(next[k]) < view(parts.get(best), sites).pointAddress(next[best]))) {
                        best = k;
                    }
                }
                long address = view(parts.get(best), sites).pointAddress(next[best]);
                if (m > 0 && o.addresses[m - 1] == address) {
                    throw new IllegalArgumentException("two images put a " + (sites ? "comparison site" : "coverage point")
                            + " at 0x" + Long.toHexString(address) + ": their sections overlap");
                }
                o.addresses[m] = address;
                o.part[m] = best;
                o.local[m] = next[best];
                o.merged[best][next[best]] = m;
                next[best]++;
            }
            return o;
        }

        byte[] kinds(List<KernelIndex> parts, boolean sites) {
            byte[] kinds = new byte[addresses.length];
            for (int m = 0; m < kinds.length; m++) {
                kinds[m] = view(parts.get(part[m]), sites).pointKind(local[m]);
            }
            return kinds;
        }
    }

    /** Growable frame columns (function, file, line, column, linkage), shared by points and sites. */
    private static final class Frames {
        private int[][] columns = new int[5][1024];
        private int size;

        /** Copies each merged point's chain (strings renumbered), returning the chain starts. */
        int[] copyChains(List<KernelIndex> parts, Order order, Strings strings, boolean sites) {
            int[] starts = new int[order.addresses.length + 1];
            for (int m = 0; m < order.addresses.length; m++) {
                starts[m] = size;
                int k = order.part[m];
                KernelIndex v = view(parts.get(k), sites);
                KernelIndex frames = parts.get(k);
                for (int f = v.chainStart(order.local[m]); f < v.chainEnd(order.local[m]); f++) {
                    add(strings.id(k, frames.frameFunctionId(f)), strings.id(k, frames.frameFileId(f)),
                            frames.frameLine(f), frames.frameColumn(f), strings.id(k, frames.frameLinkageId(f)));
                }
            }
            starts[order.addresses.length] = size;
            return starts;
        }

        private void add(int function, int file, int line, int column, int linkage) {
            if (size == columns[0].length) {
                for (int c = 0; c < columns.length; c++) {
                    columns[c] = Arrays.copyOf(columns[c], size * 2);
                }
            }
            columns[0][size] = function;
            columns[1][size] = file;
            columns[2][size] = line;
            columns[3][size] = column;
            columns[4][size] = linkage;
            size++;
        }

        int[] column(int c) {
            return Arrays.copyOf(columns[c], size);
        }
    }

    /** The parts' tail-call tables in address order, candidates renumbered to merged points. */
    private record Tails(long[] addresses, int[] candidateStart, int[] candidates) {
        /** In {@link #linked}: a name more than one part defines. */
        private static final int AMBIGUOUS = -1;

        /**
         * Entries for the parts' imports that another part exports ({@link TailCallLinks}): a module's call of
         * a kernel function that tail-calls the callback, attributed to that function's tail-call sites; of a
         * module's function that tail-jumps to a kernel function, to that one's. An import no part exports stays
         * unresolved, as it would in one image. So does a name that more than one part exports or forwards: the
         * kernel refuses to load a second export of a name, so such parts did not link to each other as their
         * names say (indexes of other programs, or made before exports were told from other globals), and
         * picking one would paint another image's function.
         */
        static Tails linked(List<KernelIndex> parts, Order points) {
            Map<String, int[]> exports = new HashMap<>();
            Map<String, List<String>> forwards = new HashMap<>();
            Map<String, Integer> definedBy = new HashMap<>();
            for (int k = 0; k < parts.size(); k++) {
                TailCallLinks links = parts.get(k).tailCallLinks();
                int part = k;
                for (int i = 0; i < links.forwardCount(); i++) {
                    forwards.computeIfAbsent(links.forwardNames()[i], n -> new ArrayList<>(1))
                            .add(links.forwardTargets()[i]);
                    definedBy.merge(links.forwardNames()[i], part, (a, b) -> a.equals(b) ? a : AMBIGUOUS);
                }
                for (int i = 0; i < links.exportCount(); i++) {
                    int[] merged = links.exportCandidates(i);
                    for (int c = 0; c < merged.length; c++) {
                        merged[c] = points.merged[k][merged[c]];
                    }
                    exports.put(links.exportNames()[i], merged);
                    definedBy.merge(links.exportNames()[i], part, (a, b) -> a.equals(b) ? a : AMBIGUOUS);
                }
            }
            definedBy.forEach((name, part) -> {
                if (part == AMBIGUOUS) {
                    exports.remove(name);
                    forwards.remove(name);
                }
            });
            java.util.TreeMap<Long, int[]> entries = new java.util.TreeMap<>();
            for (KernelIndex part : parts) {
                TailCallLinks links = part.tailCallLinks();
                for (int i = 0; i < links.importCount(); i++) {
                    String name = links.importNames()[i];
                    List<int[]> found = new ArrayList<>(1);
                    if (exports.containsKey(name)) {
                        found.add(exports.get(name));
                    }
                    for (String target : forwards.getOrDefault(name, List.of())) {
                        if (exports.containsKey(target)) {
                            found.add(exports.get(target));
                        }
                    }
                    for (int[] candidates : found) {
                        entries.merge(links.importReturns()[i], candidates, Tails::union);
                    }
                }
            }
            long[] addresses = new long[entries.size()];
            int[] start = new int[entries.size() + 1];
            int[] candidates = entries.values().stream().flatMapToInt(Arrays::stream).toArray();
            int e = 0;
            for (Map.Entry<Long, int[]> entry : entries.entrySet()) {
                addresses[e] = entry.getKey();
                start[e + 1] = start[e] + entry.getValue().length;
                e++;
            }
            return new Tails(addresses, start, candidates);
        }

        /** This table and {@code more} in one, in address order; an address in both gets the candidates of both. */
        Tails with(Tails more) {
            if (more.addresses.length == 0) {
                return this;
            }
            int n = addresses.length + more.addresses.length;
            long[] outAddresses = new long[n];
            int[] outStart = new int[n + 1];
            int[] outCandidates = new int[candidates.length + more.candidates.length];
            int a = 0;
            int b = 0;
            int m = 0;
            while (a < addresses.length || b < more.addresses.length) {
                boolean takeA = b == more.addresses.length
                        || (a < addresses.length && addresses[a] <= more.addresses[b]);
                boolean takeB = a == addresses.length
                        || (b < more.addresses.length && more.addresses[b] <= addresses[a]);
                int[] entry = takeA && takeB ? union(entry(a), more.entry(b)) : takeA ? entry(a) : more.entry(b);
                outAddresses[m] = takeA ? addresses[a] : more.addresses[b];
                System.arraycopy(entry, 0, outCandidates, outStart[m], entry.length);
                outStart[m + 1] = outStart[m] + entry.length;
                m++;
                a += takeA ? 1 : 0;
                b += takeB ? 1 : 0;
            }
            return new Tails(Arrays.copyOf(outAddresses, m), Arrays.copyOf(outStart, m + 1),
                    Arrays.copyOf(outCandidates, outStart[m]));
        }

        private int[] entry(int e) {
            return Arrays.copyOfRange(candidates, candidateStart[e], candidateStart[e + 1]);
        }

        private static int[] union(int[] x, int[] y) {
            return java.util.stream.IntStream.concat(Arrays.stream(x), Arrays.stream(y)).sorted().distinct().toArray();
        }

        static Tails of(List<KernelIndex> parts, Order points, boolean sites) {
            int total = 0;
            int candidateTotal = 0;
            for (KernelIndex p : parts) {
                total += view(p, sites).tailReturnAddressCount();
                candidateTotal += view(p, sites).rawTailCandidates().length;
            }
            long[] addresses = new long[total];
            int[] candidateStart = new int[total + 1];
            int[] candidates = new int[candidateTotal];
            int[] next = new int[parts.size()];
            int c = 0;
            for (int m = 0; m < total; m++) {
                int best = -1;
                for (int k = 0; k < parts.size(); k++) {
                    KernelIndex v = view(parts.get(k), sites);
                    if (next[k] < v.tailReturnAddressCount() && (best < 0 || v.tailReturnAddress(next[k])
                            < view(parts.get(best), sites).tailReturnAddress(next[best]))) {
                        best = k;
                    }
                }
                KernelIndex v = view(parts.get(best), sites);
                int entry = next[best]++;
                addresses[m] = v.tailReturnAddress(entry);
                if (m > 0 && addresses[m - 1] == addresses[m]) {
                    throw new IllegalArgumentException("two images have a tail-call return address at 0x"
                            + Long.toHexString(addresses[m]) + ": their sections overlap");
                }
                candidateStart[m] = c;
                int[] raw = v.rawTailCandidates();
                for (int i = v.rawTailCandidateStart()[entry]; i < v.rawTailCandidateStart()[entry + 1]; i++) {
                    candidates[c++] = points.merged[best][raw[i]];
                }
            }
            candidateStart[total] = c;
            return new Tails(addresses, candidateStart, candidates);
        }
    }

    private static RemoteSites remoteSites(List<KernelIndex> parts) {
        List<long[]> order = new ArrayList<>(); // address, part, site
        for (int k = 0; k < parts.size(); k++) {
            RemoteSites sites = parts.get(k).remoteSites();
            for (int s = 0; s < sites.count(); s++) {
                order.add(new long[] {sites.address(s), k, s});
            }
        }
        order.sort((a, b) -> Long.compare(a[0], b[0]));
        long[] addresses = new long[order.size()];
        byte[] kinds = new byte[order.size()];
        List<List<Frame>> chains = new ArrayList<>(order.size());
        for (int i = 0; i < addresses.length; i++) {
            RemoteSites sites = parts.get((int) order.get(i)[1]).remoteSites();
            int s = (int) order.get(i)[2];
            addresses[i] = order.get(i)[0];
            kinds[i] = sites.kind(s);
            chains.add(sites.chain(s));
        }
        return new RemoteSites(addresses, kinds, chains);
    }
}
