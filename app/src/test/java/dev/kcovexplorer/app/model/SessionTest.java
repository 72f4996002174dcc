package dev.kcovexplorer.app.model;

import dev.kcovexplorer.app.model.fixture.FixtureSession;
import dev.kcovexplorer.app.model.fixture.InstrumentedProgram;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Session bookkeeping and the directory level of aggregates and diffs, on the gcc fixture. */
class SessionTest {
    static FixtureSession fixture;

    @BeforeAll
    static void fixture() throws Exception {
        InstrumentedProgram.requireTools();
        fixture = FixtureSession.get();
    }

    @Test
    void runsAreRenamedRecolouredReplacedAndRemovedByLabel() {
        Session session = fixture.newSession();
        SessionRun a = session.run("A").orElseThrow();
        assertThat(a.colour()).matches("#[0-9A-Fa-f]{6}");
        assertThat(session.run("B").orElseThrow().colour()).isNotEqualTo(a.colour());

        session.renameRun("A", "keyboard");
        assertThat(session.runs()).extracting(SessionRun::label).containsExactly("keyboard", "B");
        assertThatThrownBy(() -> session.renameRun("keyboard", "B")).hasMessage("a run named 'B' is already loaded");
        assertThatThrownBy(() -> session.recolourRun("B", "red")).hasMessage("colour must be #rrggbb, not 'red'");
        assertThatThrownBy(() -> session.addRun(RunInput.of("B", fixture.runA, null)))
                .hasMessage("a run named 'B' is already loaded");

        SessionRun replaced = session.replaceRunData("keyboard", RunInput.of("keyboard", fixture.runB, null));
        assertThat(replaced.colour()).isEqualTo(a.colour());
        assertThat(replaced.remoteSource()).isEqualTo("USB bus 1");
        assertThat(replaced.points()).isEqualTo(session.run("B").orElseThrow().points());
        assertThat(session.runs().get(0)).isSameAs(replaced);

        session.removeRun("B");
        assertThat(session.runs()).extracting(SessionRun::label).containsExactly("keyboard");
        assertThatThrownBy(() -> session.removeRun("B")).hasMessage("no run named 'B'");
    }

    @Test
    void directoriesSumTheirFilesAndTheRootIsTheWholeKernel() {
        Session session = fixture.newSession();
        Coverage coverage = session.coverage(session.runs());
        CoverageLayout layout = session.layout();
        Aggregate root = coverage.directory(CoverageLayout.ROOT);
        assertThat(root).isEqualTo(coverage.total());
        assertThat(root.points()).isEqualTo(layout.pointCount());
        assertThat(root.coveredPoints()).isEqualTo(coverage.points().hitCount());
        int lines = 0;
        int covered = 0;
        for (int file = 0; file < layout.fileCount(); file++) {
            lines += coverage.file(file).lines();
            covered += coverage.file(file).coveredLines();
        }
        assertThat(root.lines()).isEqualTo(lines).isEqualTo(layout.lineCount());
        assertThat(root.coveredLines()).isEqualTo(covered);

        RunDiff diff = session.diff(session.coverage(session.run("A").orElseThrow()),
                session.coverage(session.run("B").orElseThrow()));
        assertThat(diff.directoryGained(CoverageLayout.ROOT)).isEqualTo(diff.gainedPoints()).isPositive();
        assertThat(diff.directoryLost(CoverageLayout.ROOT)).isEqualTo(diff.lostPoints()).isPositive();
    }
}
