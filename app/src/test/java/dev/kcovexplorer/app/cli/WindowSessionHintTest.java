package dev.kcovexplorer.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session file a window's command line names, found before picocli parses it so that the window's session
 * starts decoding earlier: every way `open` is given a session file, and nothing for a one-shot command (which reads
 * the file itself), a file that is not there, or a window on a vmlinux; and which window command lines start the
 * toolkit before the parse.
 */
class WindowSessionHintTest {
    @TempDir
    Path dir;

    @Test
    void aWindowsSessionFileIsNamedHowEverItIsGiven() throws IOException {
        Path session = Files.writeString(dir.resolve("demo.kcovx"), "not read here");
        String file = session.toString();

        assertThat(KcovExplorerCommand.windowSession("open", file, "--view", "editor:drivers/usb/core/hub.c@hub_event",
                "--report-stalls")).isEqualTo(session);
        assertThat(KcovExplorerCommand.windowSession(file)).isEqualTo(session);
        assertThat(KcovExplorerCommand.windowSession("--debug", file)).isEqualTo(session);
        assertThat(KcovExplorerCommand.windowSession("--debug=true", "open", "--snapshot", "out.png", file))
                .isEqualTo(session);
        assertThat(KcovExplorerCommand.windowSession("open", "--session", file)).isEqualTo(session);
    }

    @Test
    void oneShotCommandsMissingFilesAndKernelsAreNoSessionOfAWindow() throws IOException {
        String file = Files.writeString(dir.resolve("demo.kcovx"), "not read here").toString();

        assertThat(KcovExplorerCommand.windowSession("report", "--session", file)).isNull();
        assertThat(KcovExplorerCommand.windowSession("session", "info", file)).isNull();
        assertThat(KcovExplorerCommand.windowSession("open", dir.resolve("gone.kcovx").toString())).isNull();
        assertThat(KcovExplorerCommand.windowSession("open", "--session=" + file)).isNull();
        assertThat(KcovExplorerCommand.windowSession("open", "--vmlinux", "vmlinux", "usb=usb.kcov")).isNull();
        assertThat(KcovExplorerCommand.windowSession()).isNull();
    }

    @Test
    void onlyAWindowOnTheDisplayStartsItsToolkitBeforeTheParse() {
        assertThat(KcovExplorerCommand.opensOnDisplay("open", "demo.kcovx", "--view", "editor:drivers/usb/core/hub.c",
                "--report-stalls")).isTrue();
        assertThat(KcovExplorerCommand.opensOnDisplay("--debug", "demo.kcovx")).isTrue();
        // Headless, on Monocle, which must be chosen before the toolkit starts.
        assertThat(KcovExplorerCommand.opensOnDisplay("open", "--snapshot", "out.png", "demo.kcovx")).isFalse();
        assertThat(KcovExplorerCommand.opensOnDisplay("open", "--snapshot=out.png", "demo.kcovx")).isFalse();
        // Print and exit.
        assertThat(KcovExplorerCommand.opensOnDisplay("open", "demo.kcovx", "--help")).isFalse();
        assertThat(KcovExplorerCommand.opensOnDisplay("open", "demo.kcovx", "-h")).isFalse();
        assertThat(KcovExplorerCommand.opensOnDisplay("open", "demo.kcovx", "-V")).isFalse();
        assertThat(KcovExplorerCommand.opensOnDisplay("help", "open", "demo.kcovx")).isFalse();
    }
}
