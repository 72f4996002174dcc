package dev.kcovexplorer.app.ui.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.model.Coverage;
import dev.kcovexplorer.app.model.CoverageLayout;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.fixture.FixtureSession;
import dev.kcovexplorer.app.model.fixture.InstrumentedProgram;
import dev.kcovexplorer.app.ui.compose.Composition;
import dev.kcovexplorer.app.ui.editor.LineMark;
import dev.kcovexplorer.app.ui.task.Progress;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the editor paints for a composition, headless, on the gcc-built fixture's two runs. */
class CoverageSnapshotTest {
    static Session session;

    @BeforeAll
    static void fixture() throws Exception {
        InstrumentedProgram.requireTools();
        session = FixtureSession.get().newSession();
    }

    @Test
    void aLineBothSidesOfADifferenceHitIsPaintedExcludedNotUncovered() {
        CoverageSnapshot snapshot = CoverageSnapshot.compute(session, session.runs(),
                new Composition("B - A", false, "", ""), Progress.NONE);
        Coverage a = session.coverage(session.run("A").orElseThrow());
        Coverage b = session.coverage(session.run("B").orElseThrow());
        CoverageLayout layout = session.layout();
        int checked = 0;
        for (int line = 0; line < layout.lineCount(); line++) {
            boolean bothCovered = a.lineHitPoints(line) == layout.linePointCount(line)
                    && b.lineHitPoints(line) == layout.linePointCount(line);
            if (bothCovered) {
                String path = layout.filePath(layout.lineFile(line));
                LineMark[] marks = snapshot.marks(path, 0);
                assertThat(marks[layout.lineNumber(line) - 1]).as(path + ":" + layout.lineNumber(line))
                        .isEqualTo(LineMark.EXCLUDED);
                checked++;
            }
        }
        assertThat(checked).as("lines covered by both runs").isPositive();
    }

    @Test
    void aSnapshotStandsOnlyForTheInputsItWasComputedFrom() throws Exception {
        Composition union = Composition.ALL_VISIBLE;
        CoverageSnapshot snapshot = CoverageSnapshot.compute(session, session.runs(), union, Progress.NONE);
        assertThat(snapshot.isFor(session, session.runs(), new Composition("", false, "A", "B"))).isTrue();
        assertThat(snapshot.isFor(session, session.runs().subList(0, 1), union)).isFalse();
        assertThat(snapshot.isFor(session, session.runs(), new Composition("B - A", false, "", ""))).isFalse();
        assertThat(snapshot.isFor(session, session.runs(), new Composition("", true, "A", "B"))).isFalse();
        assertThat(snapshot.isFor(FixtureSession.get().newSession(), session.runs(), union)).isFalse();
    }

    /**
     * The Functions table's rows, as loaded, composed and diffed: one per function with the composition's figures,
     * most covered first and ties in the layout's order. The FX thread shows them as they come, not sorting them again.
     */
    @Test
    void functionRowsComeMostCoveredFirstTiesInTheLayoutsOrder() {
        assertRows(new Composition("", false, "", ""), session.coverage(session.runs()));
        assertRows(new Composition("B - A", false, "", ""), session.coverage("B - A"));
        assertRows(new Composition("", true, "A", "B"), session.coverage("B"));
    }

    private static void assertRows(Composition composition, Coverage expected) {
        CoverageLayout layout = session.layout();
        List<String> rows = IntStream.range(0, layout.functionCount()).boxed()
                .sorted(Comparator.comparingInt(f -> -expected.function(f).coveredPoints()))
                .map(f -> describe(layout.functionName(f), layout.filePath(layout.functionFile(f)),
                        layout.functionFirstLine(f), expected.function(f).coveredPoints(),
                        expected.function(f).points(), expected.functionHits(f)))
                .toList();
        CoverageSnapshot snapshot = CoverageSnapshot.compute(session, session.runs(), composition, Progress.NONE);
        assertThat(snapshot.functions().rows()).as(composition.toString())
                .extracting(row -> describe(row.name(), row.path(), row.line(), row.coveredPoints(), row.points(),
                        row.hits()))
                .containsExactlyElementsOf(rows);
        assertThat(IntStream.range(0, layout.functionCount()).map(f -> expected.function(f).coveredPoints()).distinct()
                .count()).as("functions covered to different degrees, so the order is seen").isGreaterThan(2);
    }

    private static String describe(String name, String path, int line, int covered, int points, long hits) {
        return name + " " + path + ":" + line + " " + covered + "/" + points + " points, " + hits + " hits";
    }
}
