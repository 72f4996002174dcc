package dev.kcovexplorer.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.live.DemoKernel;
import dev.kcovexplorer.testing.Patience;
import dev.kcovexplorer.testing.Requirements;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Build demo kernel…" on the real {@code sample-data/kernel/build}: its progress lines read into a
 * fraction, and a build cancelled while it unpacks the kernel sources ends with its whole process tree and
 * leaves no half tree to resume from.
 */
class KernelBuildTest {
    private static final Path TARBALL = Path.of("/usr/src/linux-source-6.1.tar.xz");
    private static final List<String> BUILD_TOOLS = List.of("make", "flex", "bison", "bc");
    /** The programs a machine without kbuild's parser generators lacks. */
    private static final Set<String> NOT_INSTALLED = Set.of("flex", "bison");

    @TempDir
    Path dir;

    @Test
    void theScriptsProgressLinesMoveTheBarForward() {
        KernelBuild.Progress progress = KernelBuild.Progress.STARTING;
        List<Double> fractions = new java.util.ArrayList<>();
        for (String line : List.of("build: unpacking /usr/src/linux-source-6.1.tar.xz (6.1.192-3)",
                "  HOSTCC  scripts/basic/fixdep", "build: compiling (make -j2 bzImage), this takes a while",
                "build: about 2800 objects to compile", "build: compiled 25 of about 2800 objects",
                "build: compiled 1400 of about 2800 objects", "build: compiled 2900 of about 2800 objects",
                "build: compiled in 812 s", "build: kernel ready in /root/.cache/kcov-explorer/kernel")) {
            progress = KernelBuild.advance(progress, line);
            fractions.add(progress.fraction());
        }
        assertThat(fractions).isSorted();
        assertThat(fractions.get(5)).isEqualTo(0.05 + 0.9 * 0.5);
        assertThat(fractions.get(6)).as("more objects than last time: never past compiling").isLessThan(0.97);
        assertThat(fractions).last().isEqualTo(1.0);
        assertThat(KernelBuild.advance(KernelBuild.Progress.STARTING, "build: compiled 1400 of about 2800 objects")
                .stage()).isEqualTo("compiling: 1400 of about 2800 objects");
        assertThat(KernelBuild.advance(KernelBuild.Progress.STARTING,
                "build: kernel up to date in /k (linux-source-6.1 6.1.192-3 0123456789abcdef)").fraction()).isEqualTo(1.0);
    }

    @Test
    void aBuildCancelledWhileUnpackingEndsItsProcessesAndLeavesNoHalfTree() throws Exception {
        Requirements.require(Files.isRegularFile(TARBALL), "the demo kernel's sources are not installed "
                + "(apt-get install linux-source-6.1)");
        Requirements.require(BUILD_TOOLS.stream().allMatch(KernelBuildTest::onPath), "the script checks for the "
                + "kernel build's tools before it unpacks: apt-get install make flex bison bc libelf-dev libssl-dev");
        Heard heard = new Heard();
        KernelBuild build = KernelBuild.start(DemoKernel.ROOT, Map.of("KERNEL_DIR", dir.toString()), heard);
        List<String> lines = heard.lines;
        AtomicReference<String> ended = heard.ended;
        FakeVm.await(() -> lines.stream().anyMatch(line -> line.startsWith("build: unpacking")) || ended.get() != null,
                () -> "unpacking; so far " + lines + " " + ended.get(), 60);
        ProcessHandle script = ProcessHandle.current().children()
                .filter(child -> child.info().commandLine().orElse("").contains("sample-data/kernel/build"))
                .findFirst().orElseThrow();
        FakeVm.await(() -> script.descendants().findAny().isPresent(), "tar running under the script", 30);
        List<ProcessHandle> tree = script.descendants().toList();

        build.cancel();

        FakeVm.await(() -> ended.get() != null, "the build's end", 30);
        assertThat(ended.get()).isEqualTo("false: cancelled; Build demo kernel\u2026 resumes where it stopped");
        FakeVm.await(() -> !script.isAlive() && tree.stream().noneMatch(ProcessHandle::isAlive),
                () -> "the script, tar and xz gone", 30);
        assertThat(dir.resolve("src/Makefile")).as("no half tree a resumed build would take for whole").doesNotExist();
    }

    /**
     * Cancel is the Demo VM window's button, on the FX thread: it returns at once, and a build that takes its time to
     * end on SIGTERM ends when it does, said by finished. Here the script ends on TERM only once the test, after
     * cancel returned, lets it (a file its trap waits for). The old cancel waited on the calling thread for the
     * script's end, up to 5 s, then killed it: the test could let it go only after, and its trap never finished.
     */
    @Test
    void cancelReturnsAtOnceAndTheBuildEndsWhenItsScriptDoes() throws Exception {
        Path release = dir.resolve("release");
        Path letGo = dir.resolve("let-go");
        Path script = Files.createDirectories(dir.resolve("repository/sample-data/kernel")).resolve("build");
        Files.writeString(script, """
                #!/bin/sh
                trap 'while [ ! -e %s ]; do sleep 0.05; done; touch %s; exit 0' TERM
                echo "build: waiting"
                while :; do sleep 1; done
                """.formatted(release, letGo));
        assertThat(script.toFile().setExecutable(true)).isTrue();
        Heard heard = new Heard();
        KernelBuild build = KernelBuild.start(dir.resolve("repository"), Map.of(), heard);
        List<String> lines = heard.lines;
        AtomicReference<String> ended = heard.ended;
        FakeVm.await(() -> lines.contains("build: waiting"), () -> "the script's start; so far " + lines,
                Patience.SECONDS);

        build.cancel();
        Files.createFile(release);

        FakeVm.await(() -> ended.get() != null, "the build's end", Patience.SECONDS);
        assertThat(ended.get()).isEqualTo("false: cancelled; Build demo kernel\u2026 resumes where it stopped");
        // A file, not a line: destroying a process closes its output stream, so nothing it prints after is read.
        assertThat(letGo).as("the script ended by itself once let go").exists();
    }

    @Test
    void aMachineWithoutFlexAndBisonIsToldWhatToInstallBeforeAnyWork() throws Exception {
        assertThat(toldToInstallWithout(NOT_INSTALLED)).contains(" flex").contains(" bison");
    }

    /**
     * Without gcc, the build asks for gcc and not for the libelf and OpenSSL headers that are there: it asked gcc for
     * them, and every probe failing named both packages, installed or not.
     */
    @Test
    void aMachineWithoutGccIsToldToInstallGccAndNotTheHeadersItHas() throws Exception {
        Requirements.tools("gcc");
        Requirements.require(hasHeaders(), "no libelf or OpenSSL headers: apt-get install libelf-dev libssl-dev");
        assertThat(toldToInstallWithout(Set.of("gcc"))).contains(" gcc").doesNotContain("libelf-dev")
                .doesNotContain("libssl-dev");
    }

    /**
     * Runs the build on a PATH of the system's programs but {@code notInstalled}; what it says as it ends, at once,
     * with nothing made.
     */
    private String toldToInstallWithout(Set<String> notInstalled) throws Exception {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        for (String system : List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            try (Stream<Path> programs = Files.list(Path.of(system))) {
                for (Path program : (Iterable<Path>) programs::iterator) {
                    Path link = bin.resolve(program.getFileName().toString());
                    if (!notInstalled.contains(link.getFileName().toString()) && Files.notExists(link,
                            LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, program);
                    }
                }
            } catch (NoSuchFileException absent) {
                // not every system has each of these directories
            }
        }
        Path out = dir.resolve("kernel");
        Heard heard = new Heard();
        KernelBuild build = KernelBuild.start(DemoKernel.ROOT, Map.of("KERNEL_DIR", out.toString(),
                "PATH", bin.toString()), heard);
        List<String> lines = heard.lines;
        AtomicReference<String> ended = heard.ended;
        try {
            FakeVm.await(() -> ended.get() != null || lines.stream().anyMatch(line -> line.startsWith("build: unpacking")),
                    () -> "the build's end; so far " + lines, Patience.SECONDS);
            assertThat(lines).as("told before any work").noneMatch(line -> line.startsWith("build: unpacking"));
            assertThat(ended.get()).startsWith("false: the build failed (status 1)").contains("apt-get install");
            assertThat(out).as("nothing made").doesNotExist();
            return ended.get();
        } finally {
            build.cancel();
            // Removed here: JUnit's clean-up warns of each link out of its directory, a thousand lines.
            try (Stream<Path> links = Files.list(bin)) {
                for (Path link : (Iterable<Path>) links::iterator) {
                    Files.delete(link);
                }
            }
        }
    }

    private static boolean hasHeaders() throws Exception {
        for (String header : List.of("libelf.h", "openssl/opensslv.h")) {
            ProcessBuilder probe = new ProcessBuilder("gcc", "-E", "-x", "c", "-");
            Process gcc = probe.redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (OutputStream in = gcc.getOutputStream()) {
                in.write(("#include <" + header + ">\n").getBytes(StandardCharsets.UTF_8));
            }
            if (!gcc.waitFor(Patience.SECONDS, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    /** What a build tells its window, kept for the test to wait on. */
    private static final class Heard implements KernelBuild.Listener {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final AtomicReference<String> ended = new AtomicReference<>();

        @Override
        public void line(String line, KernelBuild.Progress progress) {
            lines.add(line);
        }

        @Override
        public void finished(boolean ok, String message) {
            ended.set(ok + ": " + message);
        }
    }
}
