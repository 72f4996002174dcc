package dev.kcovexplorer.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.ui.DemoSession;
import dev.kcovexplorer.app.ui.LaunchRequest;
import dev.kcovexplorer.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The view {@code open} asks the window for. The window takes a null view for no start view (ExplorerApp: nothing
 * focused once loaded), so a session opened without --view must ask for the tree, the option's stated default, as
 * it did while picocli filled that default in.
 */
class OpenCommandRequestTest {
    @TempDir
    Path work;

    private static LaunchRequest request(String... args) throws Exception {
        OpenCommand open = new OpenCommand();
        new CommandLine(open).parseArgs(args);
        return open.request();
    }

    @Test
    void aSessionOpenedWithoutViewShowsTheTree() throws Exception {
        // The session is not read to make the request: with no runs and no diff view, nothing is checked in it.
        Path session = Files.createFile(work.resolve("some.kcovx"));

        assertThat(request(session.toString()).view()).isEqualTo("tree");
        assertThat(request("--session", session.toString()).view()).isEqualTo("tree");
        assertThat(request("--session", session.toString(), "--view", "live").view()).isEqualTo("live");
    }

    @Test
    void nothingNamedOpensTheDemoAtItsStartView() throws Exception {
        Requirements.require(DemoSession.locate().isPresent(), "the demo session is not in this checkout");

        assertThat(request().view()).isEqualTo(DemoSession.START_VIEW);
        assertThat(request("--view", "tree").view()).isEqualTo("tree");
    }
}
