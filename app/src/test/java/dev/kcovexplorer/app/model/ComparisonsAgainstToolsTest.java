package dev.kcovexplorer.app.model;

import dev.kcovexplorer.app.model.cmp.ComparisonConstant;
import dev.kcovexplorer.app.model.cmp.ComparisonPair;
import dev.kcovexplorer.app.model.fixture.ComparisonFixture;
import dev.kcovexplorer.app.model.fixture.ComparisonOracle;
import dev.kcovexplorer.app.model.fixture.ComparisonProgram;
import dev.kcovexplorer.app.model.session.SessionFile;
import dev.kcovexplorer.kcov.DumpReader;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import dev.kcovexplorer.symbolizer.points.ComparisonType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Comparisons on a real gcc {@code -fsanitize-coverage=trace-cmp} program run under a harness that
 * writes kcov CMP areas like {@code kernel/kcov.c}: sites, lines, operand values and missed constants
 * against objdump, llvm-symbolizer and the raw records read here.
 */
class ComparisonsAgainstToolsTest {
    @TempDir
    static Path dir;
    static ComparisonProgram program;
    static ComparisonOracle oracle;
    static Session session;
    static long[][] records;

    @BeforeAll
    static void buildAndRun() throws Exception {
        ComparisonFixture fixture = ComparisonFixture.get();
        program = fixture.program;
        oracle = fixture.oracle;
        session = Session.create(fixture.index);
        records = fixture.records;
        session.addRun(RunInput.of("pc", DumpReader.read(fixture.pc), null));
        session.addRun(RunInput.of("cmp", DumpReader.read(fixture.cmp), null));
    }

    static ComparisonCoverage comparisons() {
        return session.run("cmp").orElseThrow().comparisons();
    }

    @Test
    void theIndexHoldsExactlyTheSitesObjdumpShowsWithTheirKindAndSize() {
        KernelIndex sites = session.index().comparisonSites();
        TreeMap<Long, String> indexed = new TreeMap<>();
        for (int s = 0; s < sites.pointCount(); s++) {
            byte type = sites.pointKind(s);
            String hook = ComparisonType.kind(type) == ComparisonType.Kind.SWITCH ? "__sanitizer_cov_trace_switch"
                    : (ComparisonType.kind(type) == ComparisonType.Kind.CONST ? "__sanitizer_cov_trace_const_cmp"
                    : "__sanitizer_cov_trace_cmp") + ComparisonType.size(type);
            indexed.put(sites.pointAddress(s), (ComparisonType.isTailCall(type) ? "jmp " : "call ") + hook);
        }
        assertThat(indexed).isEqualTo(oracle.sites);
        assertThat(oracle.sites.values()).as("the fixture has a tail-called hook").anyMatch(v -> v.startsWith("jmp"));
    }

    @Test
    void everyRecordResolvesToTheSiteTheToolsName() {
        ComparisonCoverage c = comparisons();
        assertThat(c.unresolved()).isEmpty();
        Map<Long, Long> recordsPerSite = new TreeMap<>();
        for (long[] r : records) {
            Long site = oracle.siteOfIp.get(r[3]);
            assertThat(site).as("ip 0x%x lands on a site", r[3]).isNotNull();
            recordsPerSite.merge(site, 1L, Long::sum);
        }
        Map<Long, Long> modelled = new TreeMap<>();
        for (int s = 0; s < c.siteCount(); s++) {
            if (c.isReached(s)) {
                modelled.put(c.siteAddress(s), c.records(s));
            }
        }
        assertThat(modelled).isEqualTo(recordsPerSite);
        assertThat(recordsPerSite).as("the tail-called site is reached")
                .containsKey(oracle.sites.entrySet().stream().filter(e -> e.getValue().startsWith("jmp"))
                        .findFirst().orElseThrow().getKey());
    }

    @Test
    void distinctPairsAndTheirCountsEqualTheRawRecords() {
        ComparisonCoverage c = comparisons();
        Map<Long, Map<List<Long>, Long>> pairs = new HashMap<>();
        for (long[] r : records) {
            pairs.computeIfAbsent(oracle.siteOfIp.get(r[3]), k -> new HashMap<>())
                    .merge(List.of(r[1], r[2]), 1L, Long::sum);
        }
        for (int s = 0; s < c.siteCount(); s++) {
            Map<List<Long>, Long> expected = pairs.getOrDefault(c.siteAddress(s), Map.of());
            assertThat(c.distinct(s)).as("site 0x%x", c.siteAddress(s)).isEqualTo(expected.size());
            Map<List<Long>, Long> kept = new HashMap<>();
            for (ComparisonPair p : c.pairs(s)) {
                kept.put(List.of(p.arg1(), p.arg2()), p.count());
            }
            assertThat(kept).as("site 0x%x", c.siteAddress(s)).isEqualTo(expected); // < 64 pairs each: all kept
        }
    }

    @Test
    void linesWithReachedSitesAreCoveredAndOthersSayNoComparisonHere() {
        Coverage coverage = session.coverage(session.run("cmp").orElseThrow());
        CoverageLayout layout = coverage.layout();
        ComparisonCoverage c = comparisons();
        Set<String> reachedLines = new HashSet<>();
        Set<String> siteLines = new HashSet<>();
        for (int s = 0; s < c.siteCount(); s++) {
            Object[] line = oracle.lineOfSite.get(c.siteAddress(s));
            siteLines.add(line[0] + ":" + line[1]);
            if (c.isReached(s)) {
                reachedLines.add(line[0] + ":" + line[1]);
            }
        }
        Set<String> modelledSiteLines = new HashSet<>();
        Set<String> modelledReached = new HashSet<>();
        for (int l = 0; l < layout.lineCount(); l++) {
            String key = Path.of(layout.filePath(layout.lineFile(l))).getFileName() + ":" + layout.lineNumber(l);
            if (layout.pointsOfLine(l).length == 0) {
                continue;
            }
            boolean innermost = false;
            for (int s : layout.pointsOfLine(l)) {
                Object[] line = oracle.lineOfSite.get(c.siteAddress(s));
                innermost |= key.equals(line[0] + ":" + line[1]);
            }
            if (innermost) {
                modelledSiteLines.add(key);
                if (coverage.lineHitPoints(l) > 0) {
                    modelledReached.add(key);
                }
            }
        }
        assertThat(modelledSiteLines).isEqualTo(siteLines);
        assertThat(modelledReached).isEqualTo(reachedLines);
        int file = layout.findFile("cmp_fixture.c");
        assertThat(coverage.lineState(file, 1)).isEqualTo(LineState.NOT_INSTRUMENTED);
    }

    @Test
    void aConstantNeverSeenIsNamedAndItsGuardedLineIsUncoveredInThePcRun() throws Exception {
        ComparisonCoverage c = comparisons();
        Map<Long, Set<Long>> constantsNeverEqual = oracle.missedConstants(records);
        for (int s = 0; s < c.siteCount(); s++) {
            Set<Long> missed = new HashSet<>();
            for (ComparisonConstant k : c.missedConstants(s)) {
                missed.add(k.value());
            }
            assertThat(missed).as("site 0x%x", c.siteAddress(s))
                    .isEqualTo(constantsNeverEqual.getOrDefault(c.siteAddress(s), Set.of()));
        }
        int constLine = program.lineOf("cmp_fixture.c", "const2: never equal");
        int site = -1;
        for (int s = 0; s < c.siteCount(); s++) {
            Object[] line = oracle.lineOfSite.get(c.siteAddress(s));
            if (line[0].equals("cmp_fixture.c") && (int) line[1] == constLine) {
                site = s;
            }
        }
        assertThat(site).as("a site on line %d", constLine).isNotNegative();
        assertThat(c.missedConstants(site)).extracting(ComparisonConstant::value).containsExactly(0x0409L);
        Coverage pc = session.coverage(session.run("pc").orElseThrow());
        int file = pc.layout().findFile("cmp_fixture.c");
        assertThat(pc.lineState(file, program.lineOf("cmp_fixture.c", "guarded by const2")))
                .isEqualTo(LineState.UNCOVERED);
    }

    @Test
    void aSessionFileKeepsTheComparisons() throws Exception {
        Path file = dir.resolve("cmp.kcovx");
        SessionFile.write(session, file);
        Session back = SessionFile.read(file);
        ComparisonCoverage before = comparisons();
        ComparisonCoverage after = back.run("cmp").orElseThrow().comparisons();
        assertThat(after.reachedCount()).isEqualTo(before.reachedCount()).isPositive();
        List<List<ComparisonPair>> a = new ArrayList<>();
        List<List<ComparisonPair>> b = new ArrayList<>();
        for (int s = 0; s < before.siteCount(); s++) {
            a.add(before.pairs(s));
            b.add(after.pairs(s));
            assertThat(after.missedConstants(s)).isEqualTo(before.missedConstants(s));
        }
        assertThat(b).isEqualTo(a);
        assertThat(back.run("cmp").orElseThrow().warning()).isNull();
    }

    @Test
    void aSessionFromBeforeComparisonSitesOpensAndSaysSo() throws Exception {
        KernelIndex i = session.index();
        int frames = i.rawChainStart()[i.pointCount()]; // an index of old: the points' frames only
        KernelIndex old = new KernelIndex(i.buildId(), i.arch(), i.compDir(), i.rawPoints(), i.rawPointKinds(),
                i.rawChainStart(), Arrays.copyOf(i.rawFrameFunction(), frames), Arrays.copyOf(i.rawFrameFile(), frames),
                Arrays.copyOf(i.rawFrameLine(), frames), Arrays.copyOf(i.rawFrameColumn(), frames),
                Arrays.copyOf(i.rawFrameLinkage(), frames), i.rawStrings(), i.rawTailReturnAddresses(),
                i.rawTailCandidateStart(), i.rawTailCandidates());
        Session before = Session.create(old);
        before.addRun(session.run("cmp").orElseThrow().input());
        Path file = dir.resolve("old.kcovx");
        SessionFile.write(before, file);
        Session back = SessionFile.read(file);
        assertThat(back.index().hasComparisonSites()).isFalse();
        SessionRun run = back.run("cmp").orElseThrow();
        assertThat(run.comparisons()).isNull();
        assertThat(run.warning()).contains("before comparison sites were indexed");
    }
}
