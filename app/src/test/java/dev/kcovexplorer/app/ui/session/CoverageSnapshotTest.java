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
}
