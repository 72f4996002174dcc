package dev.kcovexplorer.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The guest's console read as the demo kernel prints it: stages, progress, and what went wrong. */
class BootConsoleTest {
    @Test
    void theRecordedBootMovesThroughItsStagesWithGrowingProgress() throws Exception {
        BootConsole console = new BootConsole(2);
        List<Double> progress = new ArrayList<>();
        DemoState stage = DemoState.STARTING_QEMU;
        for (String line : recorded("boot-serial.log")) {
            stage = console.accept(line);
            progress.add(console.progress());
        }
        assertThat(stage).isEqualTo(DemoState.GUEST_READY);
        assertThat(progress).isSorted();
        assertThat(progress.get(progress.size() - 2)).as("the kernel's clock moved the bar before the init")
                .isGreaterThan(DemoState.KERNEL_BOOTING.progress()).isLessThan(DemoState.GUEST_READY.progress());
        console.accept("agent: listening on 0.0.0.0:7070 (kernel 6.1.192; kcov with remote coverage)");
        assertThat(console.progress()).isEqualTo(DemoState.GUEST_READY.progress());
        assertThat(console.accept("agent: listening on 0.0.0.0:7071 (kernel 6.1.192; kcov with remote coverage)"))
                .isEqualTo(DemoState.AGENT_LISTENING);
        assertThat(console.failure()).isNull();
        assertThat(console.lastLine()).startsWith("agent: listening on 0.0.0.0:7071");
    }

    @Test
    void failuresAreNamedFromTheirOwnLines() throws Exception {
        BootConsole panic = new BootConsole(2);
        recorded("panic-serial.log").forEach(panic::accept);
        assertThat(panic.failure()).isEqualTo("the guest kernel panicked: Kernel panic - not syncing: VFS: Unable to "
                + "mount root fs on unknown-block(0,0)");
        assertThat(panic.lastLines()).hasSize(BootConsole.KEPT_LINES).last().asString().contains("Kernel Offset");

        BootConsole init = new BootConsole(2);
        init.accept("kx: cannot mount the host's / over 9p (tag hostroot)");
        assertThat(init.failure()).isEqualTo("the guest's init failed: kx: cannot mount the host's / over 9p (tag hostroot)");

        BootConsole agent = new BootConsole(2);
        agent.accept("kcov-explorer agent: cannot listen on 0.0.0.0:7070: Address already in use");
        agent.accept("kx: command exited with status 1");
        assertThat(agent.failure()).isEqualTo("the agent in the guest failed: cannot listen on 0.0.0.0:7070: Address "
                + "already in use");
    }

    private static List<String> recorded(String name) throws Exception {
        return Files.readAllLines(Path.of(BootConsoleTest.class.getResource(name).toURI()));
    }
}
