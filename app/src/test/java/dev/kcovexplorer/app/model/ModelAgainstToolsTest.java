package dev.kcovexplorer.app.model;

import dev.kcovexplorer.app.model.fixture.ExpectedCoverage;
import dev.kcovexplorer.app.model.fixture.ExpectedCoverage.SourceFunction;
import dev.kcovexplorer.app.model.fixture.ExpectedCoverage.SourceLine;
import dev.kcovexplorer.app.model.fixture.FixtureSession;
import dev.kcovexplorer.app.model.fixture.InstrumentedProgram;
import dev.kcovexplorer.app.model.fixture.ToolOracle;
import dev.kcovexplorer.app.model.algebra.ExpressionException;
import dev.kcovexplorer.kcov.PcKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The model on real coverage: a gcc-instrumented program run under a kcov-like harness, checked line by
 * line, function by function and file by file against states computed straight from objdump and
 * llvm-symbolizer output.
 */
class ModelAgainstToolsTest {
    static ToolOracle oracle;
    static String compDir;
    static Session session;
    static long[] traceA;
    static long[] traceB;

    @BeforeAll
    static void buildAndRun() throws Exception {
        InstrumentedProgram.requireTools();
        FixtureSession fixture = FixtureSession.get();
        oracle = ToolOracle.of(fixture.program.binary());
        compDir = fixture.compDir().toString();
        session = fixture.newSession();
        traceA = fixture.runA.trace();
        traceB = fixture.runB.trace();
    }

    @Test
    void layoutHasExactlyTheLinesAndFunctionsTheToolsName() {
        ExpectedCoverage expected = new ExpectedCoverage(oracle, compDir);
        CoverageLayout layout = session.layout();
        Set<SourceLine> lines = new HashSet<>();
        for (int line = 0; line < layout.lineCount(); line++) {
            SourceLine key = new SourceLine(layout.filePath(layout.lineFile(line)), layout.lineNumber(line));
            lines.add(key);
            assertThat(layout.linePointCount(line)).as(key.toString()).isEqualTo(expected.linePoints.get(key).size());
        }
        assertThat(lines).isEqualTo(expected.linePoints.keySet());
        Set<SourceFunction> functions = new HashSet<>();
        for (int f = 0; f < layout.functionCount(); f++) {
            SourceFunction function = new SourceFunction(layout.functionName(f), layout.filePath(layout.functionFile(f)));
            functions.add(function);
            assertThat(layout.functionPointCount(f)).as(function.toString())
                    .isEqualTo(expected.functionPoints.get(function).size());
        }
        assertThat(functions).isEqualTo(expected.functionPoints.keySet());
        assertThat(layout.findFile("fixture.h")).as("header inlined into three functions").isNotNegative();
    }

    @Test
    void runALineStatesHitsAndAggregatesMatchTheTools() {
        SessionRun run = session.run("A").orElseThrow();
        ExpectedCoverage expected = new ExpectedCoverage(oracle, compDir, traceA);
        Coverage coverage = session.coverage(run);
        assertMatches(coverage, expected, 1);
        assertThat(run.figures().reading()).isEqualTo(PcKind.RETURN_ADDRESS);
        assertThat(run.figures().attributedExact()).as("note() ends in a tail call to the callback").isPositive();
        assertThat(run.figures().attributedCandidates()).as("pick() has two tail-call sites").isPositive();
        assertThat(run.figures().unresolved()).isZero();
        assertThat(expected.candidates).as("candidate evidence is exercised").isNotEmpty();
        Set<String> states = new HashSet<>();
        expected.linePoints.keySet().forEach(line -> states.add(expected.state(line)));
        assertThat(states).as("the fixture exercises every state")
                .containsExactlyInAnyOrder("covered", "partial", "uncovered", "notExecuted");
    }

    @Test
    void runBLineStatesHitsAndAggregatesMatchTheTools() {
        ExpectedCoverage expected = new ExpectedCoverage(oracle, compDir, traceB);
        assertMatches(session.coverage(session.run("B").orElseThrow()), expected, 1);
    }

    @Test
    void unionOfBothRunsMatchesTheToolsAndCountsRunsPerLine() {
        long[] both = new long[traceA.length + traceB.length];
        System.arraycopy(traceA, 0, both, 0, traceA.length);
        System.arraycopy(traceB, 0, both, traceA.length, traceB.length);
        ExpectedCoverage expected = new ExpectedCoverage(oracle, compDir, both);
        ExpectedCoverage a = new ExpectedCoverage(oracle, compDir, traceA);
        ExpectedCoverage b = new ExpectedCoverage(oracle, compDir, traceB);
        Coverage union = session.coverage(session.runs());
        assertMatches(union, expected, 2);
        CoverageLayout layout = session.layout();
        for (int line = 0; line < layout.lineCount(); line++) {
            SourceLine key = new SourceLine(layout.filePath(layout.lineFile(line)), layout.lineNumber(line));
            int runs = (a.lineHit(key) ? 1 : 0) + (b.lineHit(key) ? 1 : 0);
            assertThat(union.lineRuns(line)).as(key.toString()).isEqualTo(runs);
            assertThat(session.runsHittingLine(line)).hasSize(runs);
        }
    }

    @Test
    void diffCategoriesAndDeltasMatchTheTools() {
        ExpectedCoverage a = new ExpectedCoverage(oracle, compDir, traceA);
        ExpectedCoverage b = new ExpectedCoverage(oracle, compDir, traceB);
        RunDiff diff = session.diff(session.coverage(session.run("A").orElseThrow()),
                session.coverage(session.run("B").orElseThrow()));
        CoverageLayout layout = session.layout();
        Set<DiffCategory> seen = new HashSet<>();
        for (int line = 0; line < layout.lineCount(); line++) {
            SourceLine key = new SourceLine(layout.filePath(layout.lineFile(line)), layout.lineNumber(line));
            boolean inA = a.lineHit(key);
            boolean inB = b.lineHit(key);
            DiffCategory expected = inA ? (inB ? DiffCategory.CBC : DiffCategory.LBC)
                    : (inB ? DiffCategory.GBC : DiffCategory.UBC);
            assertThat(diff.lineCategory(line)).as(key.toString()).isEqualTo(expected);
            seen.add(expected);
        }
        assertThat(seen).as("modes 1 and 2 overlap and differ").contains(DiffCategory.values());
        for (int f = 0; f < layout.functionCount(); f++) {
            SourceFunction function = new SourceFunction(layout.functionName(f), layout.filePath(layout.functionFile(f)));
            Set<Long> points = a.functionPoints.get(function);
            long gained = points.stream().filter(p -> b.hits.containsKey(p) && !a.hits.containsKey(p)).count();
            long lost = points.stream().filter(p -> a.hits.containsKey(p) && !b.hits.containsKey(p)).count();
            assertThat(diff.functionGained(f)).as(function + " gained").isEqualTo(gained);
            assertThat(diff.functionLost(f)).as(function + " lost").isEqualTo(lost);
        }
        List<RunDiff.Delta> deltas = diff.functionDeltas();
        assertThat(deltas).isNotEmpty();
        for (int i = 1; i < deltas.size(); i++) {
            assertThat(deltas.get(i).change()).isLessThanOrEqualTo(deltas.get(i - 1).change());
        }
    }

    @Test
    void expressionsComposeRunsOnTheirPoints() {
        ExpectedCoverage a = new ExpectedCoverage(oracle, compDir, traceA);
        ExpectedCoverage b = new ExpectedCoverage(oracle, compDir, traceB);
        Coverage gained = session.coverage("B - A");
        Set<Long> expected = new HashSet<>(b.hits.keySet());
        expected.removeAll(a.hits.keySet());
        assertThat(expected).isNotEmpty();
        Set<Long> actual = new HashSet<>();
        PointCoverage points = gained.points();
        for (int p = points.nextHit(0); p >= 0; p = points.nextHit(p + 1)) {
            actual.add(session.index().pointAddress(p));
        }
        assertThat(actual).isEqualTo(expected);

        Coverage union = session.coverage("A | B");
        Coverage all = session.coverage(session.runs());
        for (int line = 0; line < session.layout().lineCount(); line++) {
            assertThat(union.lineState(line)).isEqualTo(all.lineState(line));
            assertThat(union.lineRuns(line)).isEqualTo(all.lineRuns(line));
        }
        assertThatThrownBy(() -> session.coverage("A | Q")).isInstanceOf(ExpressionException.class)
                .hasMessage("unknown run 'Q' at column 5");
    }

    @Test
    void linesAnExpressionTakesAwayAreExcludedNotPaintedAsNeverRun() {
        ExpectedCoverage a = new ExpectedCoverage(oracle, compDir, traceA);
        ExpectedCoverage b = new ExpectedCoverage(oracle, compDir, traceB);
        Coverage gained = session.coverage("B - A");
        CoverageLayout layout = session.layout();
        int excluded = 0;
        for (int line = 0; line < layout.lineCount(); line++) {
            SourceLine key = new SourceLine(layout.filePath(layout.lineFile(line)), layout.lineNumber(line));
            Set<Long> points = a.linePoints.get(key);
            if (points.stream().anyMatch(p -> a.candidates.contains(p) || b.candidates.contains(p))) {
                continue; // candidate evidence keeps a line partial; the exact cases decide here
            }
            boolean gainedHere = points.stream().anyMatch(p -> b.hits.containsKey(p) && !a.hits.containsKey(p));
            boolean ranInANamedRun = a.lineHit(key) || b.lineHit(key);
            if (!gainedHere && ranInANamedRun) {
                assertThat(gained.lineState(line)).as(key.toString()).isEqualTo(LineState.EXCLUDED);
                excluded++;
            } else {
                assertThat(gained.lineState(line)).as(key.toString()).isNotEqualTo(LineState.EXCLUDED);
            }
        }
        assertThat(excluded).as("runs A and B share lines").isPositive();
        Coverage union = session.coverage(session.runs());
        for (int line = 0; line < layout.lineCount(); line++) {
            assertThat(union.lineState(line)).as("the union takes nothing away").isNotEqualTo(LineState.EXCLUDED);
        }
    }

    private static void assertMatches(Coverage coverage, ExpectedCoverage expected, int runs) {
        CoverageLayout layout = coverage.layout();
        int callLines = 0;
        for (int line = 0; line < layout.lineCount(); line++) {
            SourceLine key = new SourceLine(layout.filePath(layout.lineFile(line)), layout.lineNumber(line));
            assertThat(coverage.lineState(line).jsonName()).as(key.toString()).isEqualTo(expected.state(key));
            assertThat(coverage.lineHits(line)).as(key + " hits").isEqualTo(expected.lineHits(key));
            Set<Long> own = expected.lineOwnPoints.getOrDefault(key, Set.of());
            assertThat(layout.lineOwnPointCount(line)).as(key + " own points").isEqualTo(own.size());
            assertThat(coverage.lineOwnHitPoints(line)).as(key + " own points hit").isEqualTo(expected.coveredPoints(own));
            assertThat(coverage.lineOwnHits(line)).as(key + " own hits").isEqualTo(expected.lineOwnHits(key));
            if (own.size() < expected.linePoints.get(key).size()) {
                callLines++;
            }
        }
        assertThat(callLines).as("lines a callee is inlined at").isPositive();
        for (int f = 0; f < layout.functionCount(); f++) {
            SourceFunction function = new SourceFunction(layout.functionName(f), layout.filePath(layout.functionFile(f)));
            assertThat(coverage.functionRan(f)).as(function + " ran").isEqualTo(expected.ran(function));
            Aggregate aggregate = coverage.function(f);
            Set<Long> points = expected.functionPoints.get(function);
            assertThat(aggregate.points()).isEqualTo(points.size());
            assertThat(aggregate.coveredPoints()).as(function + " covered points")
                    .isEqualTo(expected.coveredPoints(points));
        }
        int allLines = 0;
        int allCoveredLines = 0;
        for (int file = 0; file < layout.fileCount(); file++) {
            String path = layout.filePath(file);
            Aggregate aggregate = coverage.file(file);
            assertThat(aggregate.points()).as(path).isEqualTo(expected.filePoints.get(path).size());
            assertThat(aggregate.coveredPoints()).as(path).isEqualTo(expected.coveredPoints(expected.filePoints.get(path)));
            List<SourceLine> lines = expected.linePoints.keySet().stream().filter(l -> l.path().equals(path)).toList();
            long covered = lines.stream().filter(expected::lineHit).count();
            long full = lines.stream().filter(l -> expected.state(l).equals("covered")).count();
            assertThat(aggregate.lines()).as(path).isEqualTo(lines.size());
            assertThat(aggregate.coveredLines()).as(path).isEqualTo(covered);
            assertThat(aggregate.fullyCoveredLines()).as(path).isEqualTo(full);
            allLines += lines.size();
            allCoveredLines += (int) covered;
        }
        Aggregate total = coverage.total();
        assertThat(total.points()).isEqualTo(oracle.points.size());
        assertThat(total.coveredPoints()).isEqualTo(expected.hits.size());
        assertThat(total.lines()).isEqualTo(allLines);
        assertThat(total.coveredLines()).isEqualTo(allCoveredLines);
        assertThat(runs).isPositive();
    }
}
