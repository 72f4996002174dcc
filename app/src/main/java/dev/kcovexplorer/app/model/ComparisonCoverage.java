package dev.kcovexplorer.app.model;

import dev.kcovexplorer.app.model.cmp.ComparisonConstant;
import dev.kcovexplorer.app.model.cmp.ComparisonPair;
import dev.kcovexplorer.app.model.cmp.ComparisonSummary;
import dev.kcovexplorer.app.model.cmp.UnresolvedRecords;
import dev.kcovexplorer.symbolizer.attribution.Outcome;
import dev.kcovexplorer.symbolizer.attribution.PcAttribution;
import dev.kcovexplorer.symbolizer.attribution.PcAttributor;
import dev.kcovexplorer.symbolizer.attribution.PcKind;
import dev.kcovexplorer.symbolizer.attribution.UnresolvedReason;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import dev.kcovexplorer.symbolizer.points.ComparisonType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CMP run on the index's comparison sites: its ips attributed exactly like PC-mode PCs (return
 * address − call length, tail calls through the hooks' own tail table), then per site the records,
 * distinct pairs, most frequent pairs and constants of the ips that landed on it. A site reached
 * through several ips (a tail-called hook seen from several callers) merges their summaries: records
 * add up, and the distinct count is exact only while every ip kept all its pairs
 * ({@link #distinctExact(int)} says).
 */
public final class ComparisonCoverage {
    public static final String IP_ZERO = "ip is 0 (no return address: a damaged record)";
    public static final String NO_SITE = "no call of a comparison hook returns there (another kernel, or damage)";

    private final KernelIndex sites;
    private final ComparisonSummary summary;
    private final int[] siteIpStart;
    private final int[] siteIps;
    private final boolean[] candidate;
    private final PointCoverage reached;
    private final AttributionFigures figures;
    private final List<UnresolvedRecords> unresolved;

    private ComparisonCoverage(KernelIndex sites, ComparisonSummary summary, int[] siteIpStart, int[] siteIps,
                               boolean[] candidate, PointCoverage reached, AttributionFigures figures,
                               List<UnresolvedRecords> unresolved) {
        this.sites = sites;
        this.summary = summary;
        this.siteIpStart = siteIpStart;
        this.siteIps = siteIps;
        this.candidate = candidate;
        this.reached = reached;
        this.figures = figures;
        this.unresolved = unresolved;
    }

    /**
     * @param sites   the index's {@link KernelIndex#comparisonSites()}
     * @param summary the run's records per ip
     */
    public static ComparisonCoverage of(KernelIndex sites, ComparisonSummary summary) {
        long[] ips = summary.ips();
        PcAttribution attribution = PcAttributor.attribute(ips, sites, null, PcKind.RETURN_ADDRESS);
        int n = sites.pointCount();
        int[] count = new int[n + 1];
        boolean[] candidate = new boolean[n];
        int[] exactSite = new int[ips.length];
        Arrays.fill(exactSite, -1);
        Map<String, long[]> byReason = new LinkedHashMap<>(); // reason → {ips, records, firstRecord, firstIp}
        for (int i = 0; i < ips.length; i++) {
            Outcome outcome = attribution.outcome(i);
            if (outcome == Outcome.MATCHED || outcome == Outcome.ATTRIBUTED_EXACT) {
                exactSite[i] = attribution.points(i)[0];
                count[exactSite[i] + 1]++;
            } else if (outcome == Outcome.ATTRIBUTED_CANDIDATES) {
                for (int s : attribution.points(i)) {
                    candidate[s] = true;
                }
            } else {
                String reason = ips[i] == 0 ? IP_ZERO : attribution.reason(i) == UnresolvedReason.NOT_IN_INDEX
                        ? NO_SITE : attribution.reason(i).description();
                long[] r = byReason.computeIfAbsent(reason, k -> new long[] {0, 0, Long.MAX_VALUE, 0});
                r[0]++;
                r[1] += summary.records(i);
                int first = summary.firstRecord(i);
                if (first >= 0 && first < r[2]) {
                    r[2] = first;
                    r[3] = ips[i];
                } else if (r[2] == Long.MAX_VALUE && first < 0) {
                    r[3] = ips[i];
                }
            }
        }
        for (int s = 0; s < n; s++) {
            count[s + 1] += count[s];
        }
        int[] fill = Arrays.copyOf(count, n);
        int[] siteIps = new int[count[n]];
        for (int i = 0; i < ips.length; i++) {
            if (exactSite[i] >= 0) {
                siteIps[fill[exactSite[i]]++] = i;
            }
        }
        int[] records = new int[ips.length];
        for (int i = 0; i < ips.length; i++) {
            records[i] = (int) Math.min(Integer.MAX_VALUE, summary.records(i));
        }
        PointResolver.Result resolved = PointResolver.of(attribution, n, records);
        List<UnresolvedRecords> unresolved = new ArrayList<>();
        Map<String, Integer> reasons = new LinkedHashMap<>();
        byReason.forEach((reason, r) -> {
            unresolved.add(new UnresolvedRecords(reason, (int) r[0], r[1], r[2] == Long.MAX_VALUE ? -1 : (int) r[2],
                    r[3]));
            reasons.put(reason, (int) r[0]);
        });
        AttributionFigures f = resolved.figures();
        AttributionFigures figures = new AttributionFigures(f.reading(), f.uniquePcs(), f.matched(),
                f.attributedExact(), f.attributedCandidates(), f.unresolved(), f.returnAddressRate(), f.callSiteRate(),
                reasons);
        return new ComparisonCoverage(sites, summary, count, siteIps, candidate, resolved.points(), figures,
                List.copyOf(unresolved));
    }

    /** The comparison-site index this run was resolved on. */
    public KernelIndex sites() {
        return sites;
    }

    public ComparisonSummary summary() {
        return summary;
    }

    /** Sites as points: hit = reached (hits = records), candidate = maybe reached through a tail call. */
    public PointCoverage reached() {
        return reached;
    }

    /** How the ips landed on sites. */
    public AttributionFigures figures() {
        return figures;
    }

    /** Records on no site, per reason (empty when every record resolved). */
    public List<UnresolvedRecords> unresolved() {
        return unresolved;
    }

    public long unresolvedRecords() {
        long total = 0;
        for (UnresolvedRecords u : unresolved) {
            total += u.records();
        }
        return total;
    }

    public int siteCount() {
        return sites.pointCount();
    }

    public long siteAddress(int site) {
        return sites.pointAddress(site);
    }

    public boolean isReached(int site) {
        return siteIpStart[site + 1] > siteIpStart[site];
    }

    /** Reached, if at all, only as one of several tail-call candidates. */
    public boolean isCandidate(int site) {
        return candidate[site] && !isReached(site);
    }

    public int reachedCount() {
        return reached.hitCount();
    }

    public ComparisonType.Kind kind(int site) {
        return ComparisonType.kind(sites.pointKind(site));
    }

    /** Operand size in bytes; a switch's from its records, {@link ComparisonType#UNKNOWN_SIZE} when unreached. */
    public int size(int site) {
        int size = ComparisonType.size(sites.pointKind(site));
        if (size == ComparisonType.UNKNOWN_SIZE && isReached(site)) {
            return summary.operandSize(siteIps[siteIpStart[site]]);
        }
        return size;
    }

    public long records(int site) {
        long total = 0;
        for (int k = siteIpStart[site]; k < siteIpStart[site + 1]; k++) {
            total += summary.records(siteIps[k]);
        }
        return total;
    }

    /** Distinct (arg1, arg2) pairs; see {@link #distinctExact(int)}. */
    public int distinct(int site) {
        int ipCount = siteIpStart[site + 1] - siteIpStart[site];
        if (ipCount == 0) {
            return 0;
        }
        if (ipCount == 1) {
            return summary.distinct(siteIps[siteIpStart[site]]);
        }
        if (distinctExact(site)) {
            return mergedPairs(site).size();
        }
        int sum = 0;
        for (int k = siteIpStart[site]; k < siteIpStart[site + 1]; k++) {
            sum += summary.distinct(siteIps[k]);
        }
        return sum;
    }

    /** False only for a site reached through several ips of which one kept fewer pairs than it saw. */
    public boolean distinctExact(int site) {
        if (siteIpStart[site + 1] - siteIpStart[site] <= 1) {
            return true;
        }
        for (int k = siteIpStart[site]; k < siteIpStart[site + 1]; k++) {
            int ip = siteIps[k];
            if (summary.pairEnd(ip) - summary.pairStart(ip) < summary.distinct(ip)) {
                return false;
            }
        }
        return true;
    }

    /** The most frequent pairs (at most the summary's top), most frequent first. */
    public List<ComparisonPair> pairs(int site) {
        List<ComparisonPair> merged = mergedPairs(site);
        return merged.size() > summary.top() ? merged.subList(0, summary.top()) : merged;
    }

    /** Distinct pairs beyond {@link #pairs(int)}: "and N more". */
    public int morePairs(int site) {
        return Math.max(0, distinct(site) - pairs(site).size());
    }

    private List<ComparisonPair> mergedPairs(int site) {
        if (siteIpStart[site + 1] - siteIpStart[site] == 1) {
            int ip = siteIps[siteIpStart[site]];
            List<ComparisonPair> out = new ArrayList<>(summary.pairEnd(ip) - summary.pairStart(ip));
            for (int p = summary.pairStart(ip); p < summary.pairEnd(ip); p++) {
                out.add(new ComparisonPair(summary.arg1(p), summary.arg2(p), summary.pairCount(p)));
            }
            return out;
        }
        Map<List<Long>, Long> counts = new HashMap<>();
        for (int k = siteIpStart[site]; k < siteIpStart[site + 1]; k++) {
            int ip = siteIps[k];
            for (int p = summary.pairStart(ip); p < summary.pairEnd(ip); p++) {
                counts.merge(List.of(summary.arg1(p), summary.arg2(p)), summary.pairCount(p), Long::sum);
            }
        }
        List<ComparisonPair> out = new ArrayList<>();
        counts.forEach((key, c) -> out.add(new ComparisonPair(key.get(0), key.get(1), c)));
        out.sort((a, b) -> a.count() != b.count() ? Long.compare(b.count(), a.count())
                : a.arg1() != b.arg1() ? Long.compareUnsigned(a.arg1(), b.arg1())
                : Long.compareUnsigned(a.arg2(), b.arg2()));
        return out;
    }

    /** The constants a const or switch site compared with, ascending unsigned (empty for plain cmp). */
    public List<ComparisonConstant> constants(int site) {
        Map<Long, Long> equal = new java.util.TreeMap<>(Long::compareUnsigned);
        for (int k = siteIpStart[site]; k < siteIpStart[site + 1]; k++) {
            int ip = siteIps[k];
            for (int c = summary.constantStart(ip); c < summary.constantEnd(ip); c++) {
                equal.merge(summary.constant(c), summary.constantEqual(c), Long::sum);
            }
        }
        List<ComparisonConstant> out = new ArrayList<>(equal.size());
        equal.forEach((value, records) -> out.add(new ComparisonConstant(value, records)));
        return out;
    }

    /** Constants the variable operand never equalled in this run: the values a fuzzer has yet to find. */
    public List<ComparisonConstant> missedConstants(int site) {
        List<ComparisonConstant> out = new ArrayList<>();
        for (ComparisonConstant c : constants(site)) {
            if (c.neverEqual()) {
                out.add(c);
            }
        }
        return out;
    }

    /** Reached sites with at least one missed constant. */
    public boolean hasMissedConstant(int site) {
        if (siteIpStart[site + 1] - siteIpStart[site] > 1) {
            return !missedConstants(site).isEmpty();
        }
        for (int k = siteIpStart[site]; k < siteIpStart[site + 1]; k++) {
            int ip = siteIps[k];
            for (int c = summary.constantStart(ip); c < summary.constantEnd(ip); c++) {
                if (summary.constantEqual(c) == 0) {
                    return true;
                }
            }
        }
        return false;
    }
}
