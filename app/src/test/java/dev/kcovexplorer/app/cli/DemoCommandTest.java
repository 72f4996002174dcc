package dev.kcovexplorer.app.cli;

import static dev.kcovexplorer.app.model.fixture.CampaignFixture.DEMO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.Main;
import dev.kcovexplorer.app.demo.DemoVm;
import dev.kcovexplorer.app.demo.DemoVmOptions;
import dev.kcovexplorer.app.demo.FakeVmAccess;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.SessionRun;
import dev.kcovexplorer.app.model.session.SessionFile;
import dev.kcovexplorer.app.ui.BusyOnceTheDemoRuns;
import dev.kcovexplorer.app.ui.DemoSession;
import dev.kcovexplorer.app.ui.FailAroundTheSave;
import dev.kcovexplorer.app.ui.ThrowOnTheFxThread;
import dev.kcovexplorer.app.ui.WatchTheSnapshotWrite;
import dev.kcovexplorer.testing.Requirements;
import dev.kcovexplorer.testing.ChildProcesses;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code kcov-explorer demo} end to end in its own JVM, headless, on the fake QEMU (a console recorded from
 * the demo kernel, the real agent replaying its USB keyboard capture, a real paused QEMU for QMP): the script
 * plays on cue, then the snapshot and the session are written and the command exits; mistakes are one line.
 */
class DemoCommandTest {
    /**
     * How long a command may run before the test gives up on it: the longest boot the demo itself allows (each stage at
     * its limit), and five minutes more for the rest (the JVM and the session before it, the script, the stop and the
     * save after). Every run ends sooner, when the command exits. 300 s in all was less than the boot alone may take:
     * the mid-demo failure's demo once did not finish in it at load ~50.
     */
    private static final Duration LONGEST_DEMO = Duration.ofSeconds(DemoVm.LONGEST_BOOT_SECONDS + 300);

    @TempDir
    Path work;

    @Test
    void aScriptedDemoWritesTheSnapshotAndTheSessionAndExits() throws Exception {
        Result result = playOnTheFakeVm(Main.class, List.of(), """
                # the keyboard, frozen while it is plugged
                0.5  plug usb-kbd
                3    freeze keyboard
                3.5  unplug usb-kbd
                """);
        Path png = png();
        Path saved = saved();

        assertThat(result.exitCode).as(result.stdout + result.stderr).isZero();
        assertThat(result.stdout).contains("demo: running: agent connected").contains("s: usb-kbd plug")
                .contains("s: freeze keyboard").contains("s: usb-kbd unplug").contains("demo: wrote " + png)
                .contains("demo: saved " + saved);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1600);
        Session session = SessionFile.read(saved);
        assertThat(session.runs()).extracting(SessionRun::label).contains("live usb", "live vhost", "keyboard");
        SessionRun usb = session.run("live usb").orElseThrow();
        SessionRun keyboard = session.run("keyboard").orElseThrow();
        assertThat(keyboard.uniquePcCount()).isPositive();
        assertThat(usb.uniquePcCount()).isGreaterThanOrEqualTo(keyboard.uniquePcCount() / 2);
        assertThat(ProcessHandle.current().descendants()).as("no process of the demo left").isEmpty();
    }

    /**
     * The demo's snapshot is encoded and written off the FX thread, and the demo goes on once it is written: here it
     * goes to a FIFO nobody reads until the FX thread ran something handed to it meanwhile. The FX thread wrote it,
     * held for as long as the file took (a slow disk, an NFS home), the window frozen and the guest waiting.
     */
    @Test
    void theSnapshotIsWrittenOffTheFxThreadAndTheDemoGoesOnOnceItIs() throws Exception {
        assertThat(new ProcessBuilder("mkfifo", png().toString()).inheritIO().start().waitFor()).isZero();
        Result result = playOnTheFakeVm(WatchTheSnapshotWrite.class, List.of(png().toString()), "0.5 plug usb-kbd\n");

        assertThat(result.exitCode).as(result.stdout + result.stderr).isZero();
        assertThat(result.stderr.lines().filter(line -> line.startsWith("watch: ")))
                .as(result.stdout + result.stderr).containsExactly(
                        "watch: written by PNG snapshot demo.png, the FX thread ran meanwhile: true",
                        "watch: read a 1600x1000 PNG");
        assertThat(result.stdout).contains("demo: wrote " + png()).contains("demo: saved " + saved());
        assertThat(result.stdout.indexOf("demo: wrote ")).as(result.stdout)
                .isLessThan(result.stdout.indexOf("demo: powering the guest off"));
        assertThat(ProcessHandle.current().descendants()).as("no process of the demo left").isEmpty();
    }

    /**
     * A task that fails while the snapshot is written (off the FX thread, into a FIFO held until the FX thread saw the
     * failure) refuses the session; the demo ends once the write ended, saying what it left: the snapshot went in (a
     * FIFO's write commits before its first byte), so "wrote", then the session "not writing", exit 1.
     */
    @Test
    void aTaskThatFailsWhileTheSnapshotIsWrittenEndsTheDemoOnceTheWriteEnded() throws Exception {
        assertThat(new ProcessBuilder("mkfifo", png().toString()).inheritIO().start().waitFor()).isZero();
        Result result = playOnTheFakeVm(WatchTheSnapshotWrite.class, List.of(png().toString(), "fail"),
                "0.5 plug usb-kbd\n");

        assertThat(result.exitCode).as(result.stdout + result.stderr).isEqualTo(1);
        assertThat(result.stderr.lines().filter(line -> line.startsWith("watch: ")))
                .as(result.stdout + result.stderr).containsExactly(
                        "watch: written by PNG snapshot demo.png, the FX thread ran meanwhile: true",
                        "watch: the FX thread saw a task fail while the snapshot was written",
                        "watch: read a 1600x1000 PNG");
        assertThat(result.stdout).as(result.stdout + result.stderr).contains("demo: wrote " + png())
                .doesNotContain("powering the guest off").doesNotContain("demo: saved");
        assertThat(result.stderr).as(result.stdout + result.stderr)
                .contains("demo: Failing: failed while the snapshot was written")
                .contains("demo: not writing " + saved() + ": a task failed")
                .doesNotContain("not writing " + png())
                .contains("kcov-explorer: a task failed");
        assertThat(saved()).doesNotExist();
        assertThat(ProcessHandle.current().descendants()).as("no process of the demo left").isEmpty();
    }

    /**
     * A task that fails during the demo (the script's freeze of "usb_keyboard": the demo session has a run of that
     * name) fails the command, and neither the snapshot nor the session is written: the session would lack the run the
     * script asked for, and the picture look complete. Both were written and the command exited 0. Nothing is plugged:
     * the freeze fails on its name alone. The window stays busy from the VM's start until it closes: the demo ends on
     * the failure, not once the window is idle. The demo that refused its files only once the window went idle never
     * ended here (at load ~25, a window busy for four minutes delayed it as long).
     */
    @Test
    void aTaskThatFailsDuringTheDemoWritesNoFilesAndFails() throws Exception {
        Result result = playOnTheFakeVm(BusyOnceTheDemoRuns.class, List.of(), "0.5 freeze usb_keyboard\n");

        assertThat(result.exitCode).as(result.stdout + result.stderr).isEqualTo(1);
        assertThat(result.stderr).as(result.stdout + result.stderr)
                .contains("demo: Adding a run: a run named 'usb_keyboard' is already loaded")
                .contains("demo: not writing " + png() + ": a task failed")
                .contains("demo: not writing " + saved() + ": a task failed")
                .contains("kcov-explorer: a task failed");
        assertNoFileWrittenAndNoProcessLeft();
    }

    /**
     * A task that fails while the session is being saved (its failure reaches the window while the saving thread holds
     * the complete file, before the demo decides whether it goes in place) refuses the session: the save's file is
     * never put in place, no temporary file is left, the command says "not writing" and exits 1 once the save ended.
     * The old demo exited at the failure without a word about the session, the save going on in a window that was
     * closing: its file appeared or not, after an exit that never named it. The order is the saving thread's wait, not
     * timing: the failure used to have to beat the deflating of the demo's 45 MB index to the window.
     */
    @Test
    void aTaskThatFailsWhileTheSessionIsSavedRefusesItAndSaysSo() throws Exception {
        Result result = playOnTheFakeVm(FailAroundTheSave.class, List.of("saving"), "0.5 plug usb-kbd\n");

        assertThat(result.exitCode).as(result.stdout + result.stderr).isEqualTo(1);
        assertThat(result.stdout).as(result.stdout + result.stderr).contains("demo: wrote " + png())
                .doesNotContain("demo: saved");
        assertThat(result.stderr).as(result.stdout + result.stderr)
                .contains("FailAroundTheSave: failed while the session was saved")
                .doesNotContain("did not reach the window")
                .contains("demo: Failing: failed while the session was saved")
                .contains("demo: not writing " + saved() + ": a task failed")
                .contains("kcov-explorer: a task failed");
        assertThat(png()).exists();
        assertThat(saved()).doesNotExist();
        assertThat(leftInWork()).as("a temporary file of the save").noneMatch(name -> name.startsWith(".demo.kcovx"));
        assertThat(ProcessHandle.current().descendants()).as("no process of the demo left").isEmpty();
    }

    /**
     * What fails once the session was saved, the demo ended (exit 0, both files said written), changes nothing: here the
     * FX thread throws in the very event that handled the save's result and ended the demo. The old demo, ended but
     * still "saving", turned the exit into 1 after the fact, both files written and said; a task that failed then did
     * the same, only less reproducibly (its result has to beat the window's close to the FX thread). The throw is tied
     * to the save's task having finished, not to the status line leaving the save: another task took the status line
     * mid-save now and then, and the throw then came during the save, which the demo rightly refused (1 run in 10).
     */
    @Test
    void whatFailsAfterTheSessionWasSavedLeavesTheDemoComplete() throws Exception {
        Result result = playOnTheFakeVm(FailAroundTheSave.class, List.of("saved"), "0.5 plug usb-kbd\n");

        assertThat(result.stderr).as(result.stdout + result.stderr)
                .contains("FailAroundTheSave: thrown once the session was saved");
        assertThat(result.exitCode).as(result.stdout + result.stderr).isZero();
        assertThat(result.stdout).contains("demo: wrote " + png()).contains("demo: saved " + saved());
        assertThat(result.stderr).as(result.stdout + result.stderr).doesNotContain("not writing")
                .doesNotContain("kcov-explorer: ");
        assertThat(SessionFile.read(saved()).run("live usb")).isPresent();
        assertThat(ProcessHandle.current().descendants()).as("no process of the demo left").isEmpty();
    }

    /**
     * A task that fails once the session's file is in place, before the save's result reached the window: the file
     * stays, complete, and is said "saved", but the demo failed, exit 1. No test had the save win this race.
     */
    @Test
    void aTaskThatFailsOnceTheSessionIsInPlaceLeavesItSavedAndFails() throws Exception {
        Result result = playOnTheFakeVm(FailAroundTheSave.class, List.of("placed"), "0.5 plug usb-kbd\n");

        assertThat(result.exitCode).as(result.stdout + result.stderr).isEqualTo(1);
        assertThat(result.stdout).as(result.stdout + result.stderr).contains("demo: wrote " + png())
                .contains("demo: saved " + saved());
        assertThat(result.stderr).as(result.stdout + result.stderr)
                .contains("FailAroundTheSave: failed once the session was in place")
                .doesNotContain("did not reach the window")
                .contains("demo: Failing: failed once the session was in place")
                .doesNotContain("not writing")
                .contains("kcov-explorer: a task failed");
        assertThat(SessionFile.read(saved()).run("live usb")).isPresent();
        assertThat(ProcessHandle.current().descendants()).as("no process of the demo left").isEmpty();
    }

    /**
     * What fails between the rename and the demo's word on the save (here the save's task itself, once its file is in
     * place) leaves the file saved and said so, exit 1. The demo took "saved" from the save's callback, which a failure
     * there skips: it said "not writing" of a file in place and complete.
     */
    @Test
    void aSaveFailingOnceItsFileIsInPlaceSaysSaved() throws Exception {
        Result result = playOnTheFakeVm(FailAroundTheSave.class, List.of("after-placed"), "0.5 plug usb-kbd\n");

        assertThat(result.exitCode).as(result.stdout + result.stderr).isEqualTo(1);
        assertThat(result.stdout).as(result.stdout + result.stderr).contains("demo: saved " + saved());
        assertThat(result.stderr).as(result.stdout + result.stderr)
                .contains("FailAroundTheSave: the save fails once its file is in place")
                .contains("failed once the session was in place")
                .doesNotContain("not writing")
                .contains("kcov-explorer: a task failed");
        assertThat(SessionFile.read(saved()).run("live usb")).isPresent();
        assertThat(ProcessHandle.current().descendants()).as("no process of the demo left").isEmpty();
    }

    /**
     * A script's action the guest refuses (here an unplug of a keyboard never plugged) leaves the picture short of what
     * the script asked for: like a failed task it ends the demo at once, neither file written, exit 1, the refusal and
     * each unwritten file said. The old demo played on and wrote both files, exit 1 ("1 action(s) failed"): files that
     * look like a complete demo's.
     */
    @Test
    void aRefusedActionWritesNoFilesAndFails() throws Exception {
        Result result = playOnTheFakeVm(Main.class, List.of(), "0.5 unplug usb-kbd\n3 plug usb-kbd\n");

        assertThat(result.exitCode).as(result.stdout + result.stderr).isEqualTo(1);
        assertThat(result.stderr).as(result.stdout + result.stderr)
                .contains("demo: the USB keyboard is not plugged in")
                .contains("demo: not writing " + png() + ": an action was refused")
                .contains("demo: not writing " + saved() + ": an action was refused")
                .contains("kcov-explorer: an action was refused");
        assertNoFileWrittenAndNoProcessLeft();
    }

    /**
     * What the FX thread throws during a hands-free demo (a bug: here a listener of the demo's state, once the VM runs)
     * ends it in one line, exit 1, neither file written, the guest powered off. JavaFX printed it and went on: the demo
     * played and wrote both files of a window part of which had failed to update, and exited 0.
     */
    @Test
    void aThrowOnTheFxThreadEndsTheDemoInOneLineWithoutItsFiles() throws Exception {
        Result result = playOnTheFakeVm(ThrowOnTheFxThread.class, List.of("demo-running"), "0.5 plug usb-kbd\n");

        assertThat(result.exitCode).as(result.stdout + result.stderr).isEqualTo(1);
        assertThat(result.stderr.lines().filter(line -> line.startsWith("kcov-explorer: ")))
                .as(result.stdout + result.stderr).containsExactly(
                        "kcov-explorer: the window failed: java.lang.IllegalStateException: thrown by a listener of "
                                + "the demo's state");
        assertNoFileWrittenAndNoProcessLeft();
    }

    /**
     * Without --view the demo shows hub.c where hub_event is, as the bundled demo opens: it showed line 1, so the
     * snapshot of a demo on a freshly built kernel was hub.c's licence header with not one painted line in sight.
     */
    @Test
    void theDemoShowsHubEventUnlessToldOtherwise() {
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo).parseArgs("--headless");
        assertThat(demo.view).isEqualTo(DemoSession.START_VIEW).endsWith("hub.c@hub_event");

        new CommandLine(demo).parseArgs("--view", "tree");
        assertThat(demo.view).isEqualTo("tree");
    }

    @Test
    void mistakesAreOneLineBeforeAnythingBoots() throws Exception {
        Path kernel = Files.writeString(work.resolve("bzImage"), "a kernel");
        Path script = Files.writeString(work.resolve("bad.txt"), "1 plug usb-kbd\n2 plug usb-printer\n");

        Result bad = run("demo", "--kernel", kernel.toString(), "--script", script.toString(), "--headless");
        assertThat(bad.exitCode).isNotZero();
        assertThat(bad.stderr.strip()).isEqualTo("kcov-explorer: " + script + ":2: unknown device 'usb-printer', "
                + "expected one of usb-kbd, usb-mouse, usb-tablet, usb-storage, usb-net");

        Path twice = Files.writeString(work.resolve("twice.txt"), "1 freeze keyboard\n2 freeze keyboard\n");
        Result duplicate = run("demo", "--kernel", kernel.toString(), "--script", twice.toString(), "--headless");
        assertThat(duplicate.exitCode).isNotZero();
        assertThat(duplicate.stderr.strip()).isEqualTo("kcov-explorer: " + twice + ":2: freeze keyboard again (line 1 "
                + "froze a run of that name); each freeze needs a NAME of its own");

        Result noKernel = run("demo", "--kernel", work.resolve("missing/bzImage").toString(), "--headless",
                "--script", script.toString());
        assertThat(noKernel.exitCode).isNotZero();
        assertThat(noKernel.stderr.strip()).isEqualTo("kcov-explorer: no such file: " + work.resolve("missing/bzImage")
                + ": the kernel to boot");
    }

    /**
     * Plays {@code script} on the fake QEMU with the demo session, {@code main} given {@code before} and then the demo
     * command, which is to write {@link #png()} and {@link #saved()}.
     */
    private Result playOnTheFakeVm(Class<?> main, List<String> before, String script) throws Exception {
        Requirements.require(Files.isRegularFile(DEMO), "the demo session is not in this checkout");
        DemoVmOptions fake = FakeVmAccess.options(Files.createDirectories(work.resolve("vm")), "boot",
                "CONFIG_USB_HID=y\n");
        Path scriptFile = Files.writeString(work.resolve("demo.txt"), script);
        List<String> args = new ArrayList<>(before);
        args.addAll(List.of("demo", "--kernel", fake.bzImage().toString(), "--qemu", fake.qemu(), "--accel", "tcg",
                "--session", DEMO.toString(), "--script", scriptFile.toString(), "--snapshot", png().toString(),
                "--save-session", saved().toString(), "--settle", "1"));
        return runMain(main, args.toArray(String[]::new));
    }

    private Path png() {
        return work.resolve("demo.png");
    }

    private Path saved() {
        return work.resolve("demo.kcovx");
    }

    /** What a demo that failed leaves: neither of its files, and no process of it. */
    private void assertNoFileWrittenAndNoProcessLeft() {
        assertThat(png()).doesNotExist();
        assertThat(saved()).doesNotExist();
        assertThat(ProcessHandle.current().descendants()).as("no process of the demo left").isEmpty();
    }

    private List<String> leftInWork() throws IOException {
        try (Stream<Path> files = Files.list(work)) {
            return files.map(file -> file.getFileName().toString()).toList();
        }
    }

    private Result run(String... args) throws Exception {
        return runMain(Main.class, args);
    }

    /** Like {@link #run}, with {@code main} in place of kcov-explorer's {@link Main}. */
    private Result runMain(Class<?> main, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx1g",
                "-Dkcov-explorer.config.dir=" + work.resolve("config"), main.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("XDG_CACHE_HOME", work.resolve("cache").toString());
        builder.environment().remove("DISPLAY");
        Path out = work.resolve("stdout.txt");
        Path err = work.resolve("stderr.txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        OptionalInt status = ChildProcesses.run(builder, LONGEST_DEMO);
        if (status.isEmpty()) {
            throw new AssertionError("kcov-explorer " + String.join(" ", args) + " did not finish in "
                    + LONGEST_DEMO.toSeconds() + " s: "
                    + Files.readString(out) + Files.readString(err));
        }
        return new Result(status.getAsInt(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }
}
