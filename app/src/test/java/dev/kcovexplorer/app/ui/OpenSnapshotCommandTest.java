package dev.kcovexplorer.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.Main;
import dev.kcovexplorer.app.model.session.SessionFiles;
import dev.kcovexplorer.testing.ChildProcesses;
import dev.kcovexplorer.testing.Requirements;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kcov-explorer open … --snapshot} end to end, in a separate JVM as a user runs it (the toolkit
 * starts once per process): the gcc fixture as the vmlinux, its two dumps as runs, no display. The PNG
 * must show the painted line states; bad arguments must give one line, no stack trace.
 */
class OpenSnapshotCommandTest {
    private static FixtureSession fixture;

    @TempDir
    Path work;

    @BeforeAll
    static void buildFixture() throws Exception {
        FixtureSession.requireTools();
        fixture = FixtureSession.get();
    }

    @Test
    void editorViewSnapshotShowsCoveredAndPartialLines() throws Exception {
        Path png = work.resolve("editor.png");
        Result result = open("--vmlinux", fixture.directory.resolve("fixture").toString(),
                "basic=" + fixture.basicDump, "extended=" + fixture.extendedDump,
                "--snapshot", png.toString(), "--view", "editor:fixture.c");
        assertThat(result.exitCode).as(result.stderr).isZero();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1600);
        assertThat(pixels(image, 0xd3f0e3)).as("covered line backgrounds").isGreaterThan(5_000);
        assertThat(pixels(image, 0xfbf1bd)).as("partial line backgrounds (inlined clamp)").isGreaterThan(2_000);
        assertThat(work.resolve("config/window.json")).as("a headless run leaves the window settings alone")
                .doesNotExist();
    }

    @Test
    void diffViewSnapshotShowsGainedLines() throws Exception {
        Path png = work.resolve("diff.png");
        Result result = open("--vmlinux", fixture.directory.resolve("fixture").toString(),
                "basic=" + fixture.basicDump, "extended=" + fixture.extendedDump,
                "--snapshot", png.toString(), "--view", "diff:basic,extended", "--report-stalls");
        assertThat(result.exitCode).as(result.stderr).isZero();
        assertThat(result.stderr).containsPattern(
                "kcov-explorer: worst FX-thread stall from the window's start to the view shown: \\d+ ms \\(\\d+ ms of FX-thread CPU\\)");
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(pixels(image, 0xcfe4fb)).as("the legend's GBC swatch at least").isGreaterThan(50);
    }

    @Test
    void badInputsSayWhatIsWrongInOneLine() throws Exception {
        Result view = open("--vmlinux", fixture.directory.resolve("fixture").toString(),
                "--snapshot", work.resolve("x.png").toString(), "--view", "sideways");
        assertThat(view.exitCode).isEqualTo(1);
        assertThat(view.stderr.strip()).isEqualTo("kcov-explorer: --view must be tree, editor:PATH[@FUNCTION], diff:A,B or live, not 'sideways'");

        Result missing = open("--session", work.resolve("missing.kcovx").toString(),
                "--snapshot", work.resolve("y.png").toString());
        assertThat(missing.exitCode).isEqualTo(1);
        assertThat(missing.stderr.strip()).isEqualTo("kcov-explorer: no such file: " + work.resolve("missing.kcovx"));

        Path notAnElf = Files.writeString(work.resolve("notes.txt"), "not a kernel\n");
        Result garbage = open("--vmlinux", notAnElf.toString(), "--snapshot", work.resolve("z.png").toString());
        assertThat(garbage.exitCode).isEqualTo(1);
        assertThat(ourLines(garbage)).hasSize(1).allMatch(l -> l.startsWith("kcov-explorer: "));
        assertThat(Files.exists(work.resolve("z.png"))).isFalse();
    }

    /**
     * With nothing named, open opens what kcov-explorer alone does, the bundled demo: it said "nothing to open" while
     * the window opened the demo. The demo's manifest answers a misspelt run of the diff view before anything loads,
     * which shows the demo is what is opened without waiting for its load (minutes on a loaded machine).
     */
    @Test
    void openWithNothingNamedOpensTheBundledDemoAsTheWindowDoes() throws Exception {
        Requirements.require(DemoSession.locate().isPresent(), "the demo session is not in this checkout");
        Result demo = open("--snapshot", work.resolve("demo.png").toString(), "--view", "diff:usb_keyboard,usb_keybord");
        assertRefusedInOneLine(demo,
                "kcov-explorer: unknown run 'usb_keybord' (did you mean 'usb_keyboard'?) at column 1");

        Result dumpsAlone = open(fixture.basicDump.toString(), "--snapshot", work.resolve("dumps.png").toString());
        assertRefusedInOneLine(dumpsAlone, "kcov-explorer: no kernel for " + fixture.basicDump
                + ": give --vmlinux FILE, or a session (--session FILE or a .kcovx file) to add the dumps to");
    }

    @Test
    void aSessionFileAloneIsOpenedAsTheSession() throws Exception {
        Path session = createSession();
        Path png = work.resolve("session.png");
        Result result = run(session.toString(), "--snapshot", png.toString(), "--view", "editor:fixture.c");
        assertThat(result.exitCode).as(result.stderr).isZero();
        assertThat(pixels(ImageIO.read(png.toFile()), 0xd3f0e3)).as("covered line backgrounds").isGreaterThan(5_000);
    }

    /**
     * With no runs and no expressions the command line no longer reads the session's manifest before the toolkit
     * starts (0272194): the session's reader refuses a broken file, and that must still be one line naming it, exit 1.
     */
    @Test
    void aBrokenSessionIsRefusedInOneLineNamingIt() throws Exception {
        Path notAZip = Files.writeString(work.resolve("notes.kcovx"), "not a session\n");
        Path unloadable = SessionFiles.withUnreadableIndex(createSession(), work.resolve("unloadable.kcovx"));
        for (Path broken : List.of(notAZip, unloadable)) {
            Path png = work.resolve(broken.getFileName() + ".png");
            Result result = open(broken.toString(), "--snapshot", png.toString());
            assertThat(result.exitCode).as(result.stderr).isEqualTo(1);
            assertThat(ourLines(result)).as(result.stderr).singleElement().asString()
                    .startsWith("kcov-explorer: Opening " + broken.getFileName() + ": " + broken + ": ");
            assertThat(Files.exists(png)).isFalse();
        }
    }

    /**
     * A task that fails once the session is shown fails the command as the opening does: the start view's editor
     * cannot read fixture.c (3 GB, sparse: more than one array holds), so the window shows a "Cannot show" banner
     * where the file should be. That exited 0 with a PNG of the banner, which a script took for the picture it asked for.
     */
    @Test
    void anEditorThatCannotReadItsFileFailsTheSnapshotAndWritesNoPng() throws Exception {
        Path sources = Files.createDirectories(work.resolve("sources"));
        Files.copy(fixture.directory.resolve("fixture.h"), sources.resolve("fixture.h"));
        try (RandomAccessFile tooLarge = new RandomAccessFile(sources.resolve("fixture.c").toFile(), "rw")) {
            tooLarge.setLength(3L << 30);
        }
        Path png = work.resolve("editor.png");
        Result result = open("--vmlinux", fixture.directory.resolve("fixture").toString(), "basic=" + fixture.basicDump,
                "--source-root", sources.toString(), "--snapshot", png.toString(), "--view", "editor:fixture.c");
        assertThat(result.exitCode).as(result.stderr).isEqualTo(1);
        assertThat(ourLines(result)).as(result.stderr).singleElement().asString()
                .startsWith("kcov-explorer: Opening fixture.c: ");
        assertThat(png).doesNotExist();
    }

    /**
     * A snapshot named "/" (a path with no parent) is refused in one line like any directory. The PNG's write threw a
     * NullPointerException on the FX thread making its parent, which JavaFX printed, and the command waited for ever.
     */
    @Test
    void aSnapshotNamedTheRootDirectoryIsRefusedInOneLine() throws Exception {
        Result result = open("--vmlinux", fixture.directory.resolve("fixture").toString(), "basic=" + fixture.basicDump,
                "--snapshot", "/");
        assertRefusedInOneLine(result,
                "kcov-explorer: cannot write /: /: is a directory, expected a file name to write");
    }

    /**
     * What the FX thread throws (a bug: here an OutOfMemoryError from a task's result handler while the session loads)
     * ends the snapshot in one line, exit 1, no PNG. JavaFX printed it and went on: the snapshot was taken of a window
     * part of which had failed to update, and the command exited 0.
     */
    @Test
    void aThrowOnTheFxThreadFailsTheSnapshotInOneLineAndWritesNoPng() throws Exception {
        Path png = work.resolve("editor.png");
        Result result = runMain(ThrowOnTheFxThread.class, "task", "open", "--vmlinux",
                fixture.directory.resolve("fixture").toString(), "basic=" + fixture.basicDump, "--snapshot",
                png.toString(), "--view", "editor:fixture.c");
        assertRefusedInOneLine(result,
                "kcov-explorer: the window failed: java.lang.OutOfMemoryError: thrown by a task's result handler");
        assertThat(png).doesNotExist();
    }

    /**
     * The PNG is encoded and written off the FX thread, and the command exits once it is written: here it goes to a
     * FIFO nobody reads until the FX thread ran something handed to it meanwhile. The FX thread wrote it, held for as
     * long as the file took (a slow disk, an NFS home), the window frozen meanwhile.
     */
    @Test
    void thePngIsWrittenOffTheFxThreadAndTheCommandExitsOnceItIs() throws Exception {
        Path fifo = work.resolve("editor.png");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();
        Result result = runMain(WatchTheSnapshotWrite.class, fifo.toString(), "open", "--vmlinux",
                fixture.directory.resolve("fixture").toString(), "basic=" + fixture.basicDump, "--snapshot",
                fifo.toString(), "--view", "editor:fixture.c");
        assertThat(result.exitCode).as(result.stderr).isZero();
        assertThat(ourLines(result)).as(result.stderr).containsExactly(
                "watch: written by PNG snapshot editor.png, the FX thread ran meanwhile: true",
                "watch: read a 1600x1000 PNG");
    }

    /**
     * A function the file lacks is no picture of that function: the snapshot showed the file's top, exit 0, and a
     * script took it for the function it asked for. It fails naming the function, the file and the name meant.
     */
    @Test
    void aFunctionTheFileLacksFailsTheSnapshotNamingItAndWritesNoPng() throws Exception {
        Path png = work.resolve("function.png");
        Result result = open("--vmlinux", fixture.directory.resolve("fixture").toString(), "basic=" + fixture.basicDump,
                "--snapshot", png.toString(), "--view", "editor:fixture.c@loop_summ");
        assertRefusedInOneLine(result, "kcov-explorer: no function loop_summ in fixture.c (did you mean loop_sum?)");
        assertThat(png).doesNotExist();
    }

    @Test
    void aMisspeltRunOfTheDiffViewIsFoundBeforeTheSessionLoads() throws Exception {
        Path unloadable = SessionFiles.withUnreadableIndex(createSession(), work.resolve("unloadable.kcovx"));
        Result result = open(unloadable.toString(), "--view", "diff:basic,extendd", "--snapshot",
                work.resolve("diff.png").toString());
        assertRefusedInOneLine(result, "kcov-explorer: unknown run 'extendd' (did you mean 'extended'?) at column 1");
    }

    private Path createSession() throws IOException, InterruptedException {
        Path session = work.resolve("fixture.kcovx");
        Result created = run("session", "create", "--vmlinux", fixture.directory.resolve("fixture").toString(),
                "-o", session.toString(), "basic=" + fixture.basicDump, "extended=" + fixture.extendedDump);
        assertThat(created.exitCode).as(created.stderr).isZero();
        return session;
    }

    /** The command failed (exit 1) saying only {@code line}. */
    private static void assertRefusedInOneLine(Result result, String line) {
        assertThat(result.exitCode).as(result.stderr).isEqualTo(1);
        assertThat(ourLines(result)).as(result.stderr).containsExactly(line);
    }

    /** Standard error without blank lines and the toolkit's own start-up warning. */
    private static List<String> ourLines(Result result) {
        return result.stderr.lines().filter(l -> !l.isBlank() && !l.contains("JavaFX configuration")
                && !l.contains("PlatformImpl")).toList();
    }

    private static long pixels(BufferedImage image, int rgb) {
        long n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }

    private Result open(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("open"));
        command.addAll(List.of(args));
        return run(command.toArray(String[]::new));
    }

    /**
     * {@code kcov-explorer ARGS…} in a fresh JVM, without a display, with its own config and cache; on the C1
     * compiler alone, as the launcher runs the window and the one-shot commands (C2 compiling start-up code cost
     * every run seconds of CPU).
     */
    private Result run(String... args) throws IOException, InterruptedException {
        return runMain(Main.class, args);
    }

    /** Like {@link #run}, with {@code main} in place of kcov-explorer's {@link Main}. */
    private Result runMain(Class<?> main, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx1g", "-XX:TieredStopAtLevel=1",
                "-Dkcov-explorer.config.dir=" + work.resolve("config"), main.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
        builder.environment().put("XDG_CACHE_HOME", work.resolve("cache").toString());
        builder.environment().remove("DISPLAY");
        Path err = work.resolve("stderr.txt");
        builder.redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        OptionalInt status = ChildProcesses.run(builder, Duration.ofSeconds(180));
        if (status.isEmpty()) {
            throw new AssertionError("kcov-explorer " + String.join(" ", args) + " did not finish in 180 s: " + Files.readString(err));
        }
        return new Result(status.getAsInt(), Files.readString(err, StandardCharsets.UTF_8));
    }

    private record Result(int exitCode, String stderr) {
    }
}
