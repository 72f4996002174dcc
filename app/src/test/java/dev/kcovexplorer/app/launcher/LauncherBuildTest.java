package dev.kcovexplorer.app.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.testing.Patience;
import dev.kcovexplorer.testing.Requirements;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.testfx.util.WaitForAsyncUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The root launcher {@code ./kcov-explorer} builds until a build has finished, not merely until app.jar exists:
 * Maven writes the jar before it copies the libraries, so a build killed in between leaves a jar newer than every
 * source (seen on a new user's first run: a 0-byte app.jar and no lib folder, and every later start failed with
 * "Could not find or load main class").
 */
class LauncherBuildTest {
    /** The launcher's Maven logs in TMPDIR: kcov-explorer-build.PID.XXXXXX. */
    private static final String BUILD_LOG = "kcov-explorer-build";
    /** The mark a finished build leaves beside app.jar. */
    static final String BUILD_DONE = "launcher-build.done";
    /** How long a launcher's start may take here (Maven's own start, then the build or the Java start): 120 s here. */
    private static final int LAUNCHER_SECONDS = 2 * Patience.SECONDS;

    @TempDir
    Path work;

    /**
     * A copy of the launcher beside what a killed build left and no sources: it builds again, and as there is no
     * reactor to build here, Maven fails and the launcher says so.
     */
    @Test
    void aJarLeftByAKilledBuildIsBuiltAgain() throws Exception {
        Path launcher = launcherIn("checkout");
        Path checkout = launcher.getParent();
        Files.createFile(Files.createDirectories(checkout.resolve("app/target")).resolve("app.jar"));

        assertBuiltAgainAndFailed(launcher, work.resolve("out.txt"));
        assertThat(checkout.resolve("app/target").resolve(BUILD_DONE)).as("no build finished").doesNotExist();
    }

    /**
     * A new user's first start builds for a minute or two in silence (Maven runs with -q): the line before it says
     * that Maven builds and, when there is no ~/.m2 yet, that it downloads what it needs first.
     */
    @Test
    void aFirstBuildSaysItDownloadsIntoAnEmptyM2() throws Exception {
        Path launcher = launcherIn("first");
        Path freshHome = Files.createDirectories(work.resolve("fresh-home"));
        Path out = work.resolve("first.txt");
        Process process = startVersion(launcher, Files.createDirectories(work.resolve("tmp")), out, freshHome);
        assertThat(process.waitFor(LAUNCHER_SECONDS, TimeUnit.SECONDS)).as("the launcher finished").isTrue();

        assertThat(Files.readAllLines(out).get(0)).as("the launcher's first line").isEqualTo("kcov-explorer: building with "
                + "Maven (a minute or two: this first build also downloads its plugins and libraries into ~/.m2)…");

        Files.createDirectories(freshHome.resolve(".m2/repository"));
        process = startVersion(launcher, work.resolve("tmp"), out, freshHome);
        assertThat(process.waitFor(LAUNCHER_SECONDS, TimeUnit.SECONDS)).as("the launcher finished").isTrue();
        assertThat(Files.readAllLines(out).get(0)).as("the launcher's first line, ~/.m2 there")
                .isEqualTo("kcov-explorer: building with Maven (up to a minute)…");
    }

    /**
     * A jar rewritten since the last finished build, by a Maven build run by hand and killed while it wrote app.jar
     * (the mark of an earlier finished build still there, older than the torn jar): the launcher builds again
     * instead of running the torn jar for good.
     */
    @Test
    void aJarRewrittenSinceTheLastFinishedBuildIsBuiltAgain() throws Exception {
        Path launcher = launcherIn("rewritten");
        Path checkout = launcher.getParent();
        Path target = Files.createDirectories(checkout.resolve("app/target"));
        Path done = Files.createFile(target.resolve(BUILD_DONE));
        Path jar = Files.createFile(target.resolve("app.jar"));
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(done).toMillis() + 60_000));

        assertBuiltAgainAndFailed(launcher, work.resolve("rewritten.txt"));
        assertThat(done).as("no build finished").doesNotExist();
    }

    /**
     * A pom.xml changed since the last finished build (a dependency's version, say) makes the build start clean:
     * Maven copies the new version's jar into app/target/lib beside the old one, which stays, and the class path
     * (lib/*) held both, the directory's order choosing which one ran. The checkout here is a reactor whose app
     * module builds nothing (packaging pom), so what is left in app/target is what the launcher's build left.
     */
    @Test
    void aPomChangedSinceTheLastFinishedBuildIsBuiltFromClean() throws Exception {
        Requirements.tools("mvn");
        Path launcher = launcherIn("pom-changed");
        Path checkout = launcher.getParent();
        Path target = Files.createDirectories(checkout.resolve("app/target"));
        Path oldVersion = Files.createFile(Files.createDirectories(target.resolve("lib")).resolve("jackson-core-2.0.0.jar"));
        Path jar = Files.createFile(target.resolve("app.jar"));
        Path done = Files.createFile(target.resolve(BUILD_DONE));
        long built = Files.getLastModifiedTime(done).toMillis();
        for (Path before : new Path[] {oldVersion, oldVersion.getParent(), jar}) {
            Files.setLastModifiedTime(before, FileTime.fromMillis(built - 60_000));
        }
        for (Path pom : reactorBuildingNothing(checkout)) {
            Files.setLastModifiedTime(pom, FileTime.fromMillis(built + 60_000));
        }

        Path out = work.resolve("pom-changed.txt");
        Process process = startVersion(launcher, Files.createDirectories(work.resolve("tmp")), out);
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).as("the launcher finished").isTrue();

        assertThat(Files.readString(out)).as("the launcher's output").contains("kcov-explorer: building")
                .doesNotContain("build failed");
        assertThat(oldVersion).as("the old version's jar, left by the earlier build").doesNotExist();
    }

    /**
     * A build lock the launcher cannot open (another user's file, such as a start by root leaves; here a directory
     * in its place) is no reason to stop: the start builds without it, as where flock is missing. dash exited on
     * the failed redirection, at every start until the lock file went.
     */
    @Test
    void aLockFileThatCannotBeOpenedIsBuiltWithout() throws Exception {
        Requirements.tools("flock");
        Path launcher = launcherIn("unlockable");
        Path checkout = launcher.getParent();
        Files.createDirectories(buildLock(Files.createDirectories(work.resolve("tmp")), checkout));

        assertThat(assertBuiltAgainAndFailed(launcher, work.resolve("unlockable.txt")))
                .as("the launcher's output").doesNotContain("cannot create");
    }

    /**
     * A start while another start of the same checkout builds it waits for that build (the launcher's lock, held
     * here by flock(1) as the other build holds it) and, finding it done once the lock is free, does not build
     * again: two first starts at once each ran a build, and one failed.
     */
    @Test
    void aStartBesideABuildWaitsForItAndDoesNotBuildAgain() throws Exception {
        Requirements.tools("flock");
        Path launcher = launcherIn("beside");
        Path checkout = launcher.getParent();
        Path target = Files.createDirectories(checkout.resolve("app/target"));
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        Path lock = buildLock(tmp, checkout);
        Process otherBuild = new ProcessBuilder("flock", lock.toString(), "-c", "echo locked; read done").start();
        try (BufferedReader said = new BufferedReader(new InputStreamReader(otherBuild.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertThat(said.readLine()).isEqualTo("locked");

            Path out = work.resolve("beside.txt");
            Process start = startVersion(launcher, tmp, out);
            try {
                WaitForAsyncUtils.waitFor(Patience.SECONDS, TimeUnit.SECONDS, () -> !start.isAlive()
                        || start.descendants().anyMatch(p -> p.info().command().orElse("").endsWith("/flock")));
            } catch (TimeoutException e) {
                throw new AssertionError("the start neither waited for the lock nor ended in " + Patience.SECONDS + " s",
                        e);
            }
            assertThat(start.isAlive()).as("the start waits for the build beside it: " + Files.readString(out))
                    .isTrue();
            assertThat(Files.readString(out)).as("and says so (packaging/build holds the lock for minutes)")
                    .isEqualTo("kcov-explorer: waiting for another build of this checkout…\n");

            // The other build finishes: its jar and its mark, then the lock is free.
            try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(target.resolve("app.jar")),
                    new Manifest())) {
                jar.flush();
            }
            Files.createFile(target.resolve(BUILD_DONE));
            otherBuild.getOutputStream().close();
            assertThat(otherBuild.waitFor(Patience.SECONDS, TimeUnit.SECONDS)).isTrue();

            assertThat(start.waitFor(LAUNCHER_SECONDS, TimeUnit.SECONDS)).as("the start finished").isTrue();
            assertThat(Files.readString(out)).as("the start's output").doesNotContain("building");
        } finally {
            otherBuild.destroy();
        }
    }

    /**
     * The lock is the checkout's, however it is reached: a start through a symbolic link to the checkout waits for a
     * build holding the lock of its physical path, as packaging/build takes it (keyed by the logical path, they took
     * two locks and built beside each other).
     */
    @Test
    void aStartThroughASymbolicLinkWaitsForTheCheckoutsLock() throws Exception {
        Requirements.tools("flock");
        Path checkout = launcherIn("linked").getParent();
        Path link = Files.createSymbolicLink(work.resolve("link"), checkout);
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        Process otherBuild = new ProcessBuilder("flock", buildLock(tmp, checkout).toString(), "-c",
                "echo locked; read done").start();
        try (BufferedReader said = new BufferedReader(new InputStreamReader(otherBuild.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertThat(said.readLine()).isEqualTo("locked");
            Path out = work.resolve("linked.txt");
            Process start = startVersion(link.resolve("kcov-explorer"), tmp, out);
            try {
                WaitForAsyncUtils.waitFor(Patience.SECONDS, TimeUnit.SECONDS,
                        () -> !start.isAlive() || Files.readString(out).contains("waiting for another build"));
                assertThat(Files.readString(out)).as("the start waits for the build of its checkout")
                        .isEqualTo("kcov-explorer: waiting for another build of this checkout…\n");
            } finally {
                start.descendants().forEach(ProcessHandle::destroyForcibly);
                start.destroyForcibly();
            }
        } finally {
            otherBuild.destroy();
        }
    }

    /**
     * A start stopped while it builds (a kill's SIGTERM) left its /tmp/kcov-explorer-build.XXXXXX log for good, one
     * per killed start. Its trap now removes it, once Maven (here a stand-in that waits to be let go) has ended.
     */
    @Test
    void aStartKilledWhileItBuildsLeavesNoLog() throws Exception {
        Path launcher = launcherIn("killed");
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        Process start = startWithStandInMaven(launcher, tmp, work.resolve("killed.txt"));
        try {
            WaitForAsyncUtils.waitFor(Patience.SECONDS, TimeUnit.SECONDS, () -> Files.exists(work.resolve("mvn-started")));
            assertThat(buildLogs(tmp)).as("the build's log while it runs").hasSize(1);

            start.destroy();
            Files.createFile(work.resolve("mvn-go"));
            assertThat(start.waitFor(Patience.SECONDS, TimeUnit.SECONDS)).as("the start ended").isTrue();
            WaitForAsyncUtils.waitFor(Patience.SECONDS, TimeUnit.SECONDS, () -> Files.exists(work.resolve("mvn-ended")));
            assertThat(buildLogs(tmp)).as("build logs left in TMPDIR").isEmpty();
        } finally {
            start.destroyForcibly();
        }
    }

    /**
     * A SIGKILL runs no trap: the next build removes the logs of starts that are gone (the pid in the name), and an
     * earlier version's (no pid) once a day old; a running start's log and a fresh earlier one stay.
     */
    @Test
    void aBuildRemovesTheLogsOfKilledStarts() throws Exception {
        Path launcher = launcherIn("after-kill");
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        LeftLogs left = LeftLogs.in(tmp, BUILD_LOG);
        Files.createFile(work.resolve("mvn-go"));

        Process start = startWithStandInMaven(launcher, tmp, work.resolve("after-kill.txt"));
        assertThat(start.waitFor(Patience.SECONDS, TimeUnit.SECONDS)).as("the start ended").isTrue();
        assertThat(Files.readString(work.resolve("after-kill.txt"))).contains("kcov-explorer: build failed");

        left.assertSwept();
    }

    /**
     * {@code kcov-explorer --version} building with a stand-in {@code mvn} first on PATH: it says it started
     * (work/mvn-started), waits for work/mvn-go, fails and says it ended (work/mvn-ended).
     */
    private Process startWithStandInMaven(Path launcher, Path tmp, Path out) throws Exception {
        Path bin = Files.createDirectories(work.resolve("bin"));
        Path mvn = Files.writeString(bin.resolve("mvn"), "#!/bin/sh\ntouch '" + work.resolve("mvn-started")
                + "'\nwhile [ ! -e '" + work.resolve("mvn-go") + "' ]; do sleep 0.1; done\ntouch '"
                + work.resolve("mvn-ended") + "'\nexit 1\n");
        mvn.toFile().setExecutable(true);
        ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "--version")
                .redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("XDG_CACHE_HOME", work.resolve("cache").toString());
        builder.environment().put("TMPDIR", tmp.toString());
        builder.environment().remove("KCOV_EXPLORER_JAVA_OPTS");
        return builder.start();
    }

    /** The build logs in {@code tmp}. */
    private static java.util.List<Path> buildLogs(Path tmp) throws Exception {
        return LeftLogs.logs(tmp, BUILD_LOG);
    }

    /**
     * A reactor in CHECKOUT (its root and app pom.xml) whose app module builds nothing (packaging pom), with the real
     * reactor's clean plugin, which its builds have brought into the local repository; the two pom.xml.
     */
    static Path[] reactorBuildingNothing(Path checkout) throws Exception {
        java.util.regex.Matcher clean = java.util.regex.Pattern.compile(
                "<artifactId>maven-clean-plugin</artifactId><version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("..", "pom.xml")));
        assertThat(clean.find()).as("the root pom pins maven-clean-plugin").isTrue();
        String project = "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0</modelVersion>"
                + "<groupId>dev.kcovexplorer.test</groupId><version>1</version><packaging>pom</packaging>";
        Path rootPom = Files.writeString(checkout.resolve("pom.xml"), project + "<artifactId>reactor</artifactId>"
                + "<modules><module>app</module></modules><build><pluginManagement><plugins><plugin>"
                + "<groupId>org.apache.maven.plugins</groupId><artifactId>maven-clean-plugin</artifactId><version>"
                + clean.group(1) + "</version></plugin></plugins></pluginManagement></build></project>");
        Path appPom = Files.writeString(Files.createDirectories(checkout.resolve("app")).resolve("pom.xml"), project
                + "<artifactId>app</artifactId><parent><groupId>dev.kcovexplorer.test</groupId>"
                + "<artifactId>reactor</artifactId><version>1</version></parent></project>");
        return new Path[] {rootPom, appPom};
    }

    /** A copy of the launcher, alone in a checkout named NAME: no sources, no reactor to build. */
    private Path launcherIn(String name) throws Exception {
        Path launcher = Files.createDirectories(work.resolve(name)).resolve("kcov-explorer");
        Files.copy(Path.of("..", "kcov-explorer"), launcher);
        launcher.toFile().setExecutable(true);
        return launcher;
    }

    /** {@code kcov-explorer --version}, its output in OUT, its build lock and build log in TMP. */
    private Process startVersion(Path launcher, Path tmp, Path out) throws Exception {
        return startVersion(launcher, tmp, out, null);
    }

    /** {@link #startVersion(Path, Path, Path)} with HOME set to {@code home} (null: this user's). */
    private Process startVersion(Path launcher, Path tmp, Path out, Path home) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "--version")
                .redirectErrorStream(true).redirectOutput(out.toFile());
        if (home != null) {
            builder.environment().put("HOME", home.toString());
        }
        builder.environment().put("XDG_CACHE_HOME", work.resolve("cache").toString());
        builder.environment().put("TMPDIR", tmp.toString());
        builder.environment().remove("KCOV_EXPLORER_JAVA_OPTS");
        return builder.start();
    }

    /**
     * Starts the launcher (its TMPDIR work/tmp) and checks it built (the fake checkout has nothing to build, so the
     * build fails) rather than running the jar it found; its output.
     */
    private String assertBuiltAgainAndFailed(Path launcher, Path out) throws Exception {
        Process process = startVersion(launcher, Files.createDirectories(work.resolve("tmp")), out);
        assertThat(process.waitFor(LAUNCHER_SECONDS, TimeUnit.SECONDS)).as("the launcher finished").isTrue();

        String output = Files.readString(out);
        assertThat(output).as("the launcher's output").contains("kcov-explorer: building")
                .contains("kcov-explorer: build failed").doesNotContain("Could not find or load main class");
        assertThat(process.exitValue()).isEqualTo(1);
        return output;
    }

    /** The lock file the launcher takes in {@code tmp} (its TMPDIR) while it builds {@code checkout}. */
    private static Path buildLock(Path tmp, Path checkout) throws Exception {
        return tmp.resolve("kcov-explorer-build-" + LauncherCdsCleanupTest.checkoutId(checkout) + ".lock");
    }
}
