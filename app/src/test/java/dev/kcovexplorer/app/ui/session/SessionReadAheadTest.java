package dev.kcovexplorer.app.ui.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.SessionRun;
import dev.kcovexplorer.app.model.fixture.CampaignFixture;
import dev.kcovexplorer.app.model.session.SessionFile;
import dev.kcovexplorer.app.ui.task.Progress;
import dev.kcovexplorer.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionReadAheadTest {
    @TempDir
    Path dir;

    @Test
    void theWindowGetsTheSessionTheFileHolds() throws Exception {
        Path demo = CampaignFixture.DEMO;
        Requirements.require(Files.isRegularFile(demo), "the demo session is not in this checkout");
        SessionReadAhead ahead = SessionReadAhead.start(demo);

        Session early = SessionLoading.fromSessionFile(demo, null, ahead, Progress.NONE);
        Session direct = SessionFile.read(demo);
        assertThat(early.index().pointCount()).isEqualTo(direct.index().pointCount());
        assertThat(early.runs()).extracting(SessionRun::label).containsExactlyElementsOf(
                direct.runs().stream().map(SessionRun::label).toList());
        for (int r = 0; r < direct.runs().size(); r++) {
            assertThat(early.runs().get(r).uniquePcs()).isEqualTo(direct.runs().get(r).uniquePcs());
        }
    }

    @Test
    void aBrokenFileFailsTheWindowsLoadingWithTheReadersOwnMessage() throws Exception {
        Path broken = dir.resolve("broken.kcovx");
        Files.writeString(broken, "not a zip container");
        String expected = catchMessage(() -> SessionFile.read(broken));

        SessionReadAhead ahead = SessionReadAhead.start(broken);
        assertThatThrownBy(() -> SessionLoading.fromSessionFile(broken, null, ahead, Progress.NONE))
                .hasMessage(expected);
    }

    @Test
    void anotherFileIsReadThereAndThen() throws Exception {
        Path broken = dir.resolve("other.kcovx");
        Files.writeString(broken, "not a zip container either");
        SessionReadAhead ahead = SessionReadAhead.start(dir.resolve("absent.kcovx"));
        assertThat(ahead.reads(broken)).isFalse();
        assertThatThrownBy(() -> SessionLoading.fromSessionFile(broken, null, ahead, Progress.NONE))
                .hasMessage(catchMessage(() -> SessionFile.read(broken)));
    }

    private interface Failing {
        void run() throws Exception;
    }

    private static String catchMessage(Failing action) {
        try {
            action.run();
        } catch (Exception e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a failure");
    }
}
