package dev.kcovexplorer.app.ui;

import static dev.kcovexplorer.app.ui.ShownStages.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.live.LiveSessionRun;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.fixture.ModularKernel;
import dev.kcovexplorer.kcov.DumpWriter;
import dev.kcovexplorer.kcov.ModuleLayoutWriter;
import dev.kcovexplorer.kcov.PcKind;
import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.kcov.agent.AgentServer;
import dev.kcovexplorer.kcov.agent.DumpReplaySource;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live run written into the session shown, then dumps added whose runs bring the session a module: the window shows
 * the session anew (its index and files changed), but it is the same session with the same live coverage that no file
 * holds, so the window must still count it as unsaved, and Quit, closing or opening another session must still ask.
 */
class UnsavedLiveRunAcrossModulesTest {
    @TempDir
    Path dir;
    @TempDir
    Path config;

    private WindowHarness window;
    private AgentServer server;

    @AfterEach
    void close() throws Exception {
        WindowHarness.close(window, server);
    }

    @Test
    void aLiveRunStaysUnsavedWhenAddedDumpsBringTheSessionAModule() throws Exception {
        ModularKernel.requireTools();
        ModularKernel kernel = ModularKernel.build(dir.resolve("build"));
        ModularKernel.Boot boot = kernel.boot("boot", 0xffffffffc0c40000L, false);
        // The live kernel hits a kernel PC only: the session that gains the module holds the live run as it was.
        server = AgentServer.start(new InetSocketAddress("127.0.0.1", 0), null,
                new DumpReplaySource("kernel", TraceMode.PC, new long[] {kernel.kernelReturnAddress()}, 1), line -> { });
        window = WindowHarness.open(config, 1000, 700);
        onFx(() -> {
            window.controller.open(new LaunchRequest(null, kernel.vmlinux(), null, List.of(), null, null, false,
                    kernel.modules(), null));
            return null;
        });
        LiveDemoWindow.await(() -> window.controller.session() != null, "the vmlinux opened", 120);
        window.awaitIdle();
        Session opened = onFx(window.controller::session);

        LiveDemoWindow.collectFrom(window, server);
        LiveDemoWindow.until(() -> opened.run(LiveSessionRun.LABEL).isPresent(), "the live run written", 60);
        LiveDemoWindow.await(window.controller::hasUnsavedLiveRuns, "the live run counted as unsaved", 60);

        Path dump = dir.resolve("boot.txt");
        DumpWriter.writeText(dump, new long[] {boot.callSites().keySet().iterator().next() + 5}, PcKind.RETURN_ADDRESS,
                "the fixture module's first point");
        Files.copy(boot.layoutFile(), ModuleLayoutWriter.besideDump(dump));
        onFx(() -> {
            window.model.runs().addDumps(List.of(dump));
            return null;
        });
        LiveDemoWindow.await(() -> window.controller.session() != opened
                && !window.controller.session().modules().isEmpty(), "the session shown anew with the module", 120);
        window.awaitIdle();

        Session withModule = onFx(window.controller::session);
        assertThat(withModule.run(LiveSessionRun.LABEL)).as("the live run, carried over").isPresent();
        assertThat(onFx(window.controller::hasUnsavedLiveRuns)).as("the live run, still unsaved").isTrue();
    }
}
