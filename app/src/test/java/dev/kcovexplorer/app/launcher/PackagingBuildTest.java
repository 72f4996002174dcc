package dev.kcovexplorer.app.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.testing.ChildProcesses;
import dev.kcovexplorer.testing.Patience;
import dev.kcovexplorer.testing.Requirements;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/**
 * packaging/build starts clean when a pom.xml changed since its last finished Maven run: a dependency's new version
 * is copied into app/target/lib beside the old one, which stays, and the package would carry both. The checkout here
 * is a copy of the script beside a reactor whose app module builds nothing (packaging pom), so what is left in
 * app/target is what the script's Maven run left; the script then stops, as there is no app to package.
 */
class PackagingBuildTest {
    /** The mark packaging/build's finished Maven run leaves. */
    private static final String MAVEN_DONE = "packaging-maven.done";

    @TempDir
    Path work;

    /**
     * The pom.xml changed after the last packaging build, and a Maven run by hand (or the script's, killed after the
     * copy) then wrote app/target/lib: the folder is newer than the pom.xml with both versions in it. The old check,
     * the pom.xml against the folder's time, kept the old version's jar.
     */
    @Test
    void aPomChangedSinceTheLastFinishedMavenRunIsBuiltFromClean() throws Exception {
        Path checkout = checkout("pom-changed");
        long built = Files.getLastModifiedTime(Files.createFile(checkout.resolve("app/target/" + MAVEN_DONE))).toMillis();
        for (Path pom : LauncherBuildTest.reactorBuildingNothing(checkout)) {
            Files.setLastModifiedTime(pom, FileTime.fromMillis(built + 60_000));
        }
        Path oldVersion = oldVersionCopiedAt(checkout, built + 120_000);

        String output = build(checkout);

        assertThat(output).as("packaging/build's output").contains("building from clean").contains("Maven: the jars");
        assertThat(oldVersion).as("the old version's jar, left by the earlier Maven run").doesNotExist();
    }

    /** A finished Maven run after every pom.xml change: the build is not made from clean (the jars stay). */
    @Test
    void noPomChangedSinceTheLastFinishedMavenRunKeepsTheJars() throws Exception {
        Path checkout = checkout("unchanged");
        long built = Files.getLastModifiedTime(Files.createFile(checkout.resolve("app/target/" + MAVEN_DONE))).toMillis();
        for (Path pom : LauncherBuildTest.reactorBuildingNothing(checkout)) {
            Files.setLastModifiedTime(pom, FileTime.fromMillis(built - 60_000));
        }
        Path jar = oldVersionCopiedAt(checkout, built);

        String output = build(checkout);

        assertThat(output).as("packaging/build's output").contains("Maven: the jars").doesNotContain("from clean");
        assertThat(jar).as("the jar of the finished run").exists();
    }

    /**
     * A start of the checkout building (the launcher's build lock held) and packaging/build beside it: each removed or
     * rewrote the other's jars (packaging/build died on "cp: cannot stat …-agent.jar"). packaging/build says it waits,
     * runs no Maven until the start's build is over, then builds.
     */
    @Test
    void aBuildBesideAStartsBuildWaitsForIt() throws Exception {
        Path checkout = checkout("beside");
        waitsBesideAStartsBuild(checkout, checkout);
    }

    /**
     * The lock is the checkout's, however it is reached: packaging/build run through a symbolic link to the checkout
     * waits for a start's build holding the lock of its physical path (keyed by the logical path, they took two locks
     * and Maven ran beside the start's build).
     */
    @Test
    void aBuildThroughASymbolicLinkWaitsForTheCheckoutsLock() throws Exception {
        Path checkout = checkout("linked");
        waitsBesideAStartsBuild(checkout, Files.createSymbolicLink(work.resolve("link"), checkout));
    }

    /**
     * Holds the build lock of CHECKOUT as a start's build does and runs packaging/build from RUN_FROM (the checkout or
     * a way to it): it says it waits and runs no Maven until the lock is free, then builds.
     */
    private void waitsBesideAStartsBuild(Path checkout, Path runFrom) throws Exception {
        Requirements.tools("flock");
        LauncherBuildTest.reactorBuildingNothing(checkout);
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        Path lock = tmp.resolve("kcov-explorer-build-" + LauncherCdsCleanupTest.checkoutId(checkout) + ".lock");
        Process startsBuild = new ProcessBuilder("flock", lock.toString(), "-c", "echo locked; read done").start();
        try (BufferedReader said = new BufferedReader(new InputStreamReader(startsBuild.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertThat(said.readLine()).isEqualTo("locked");
            Path out = work.resolve(runFrom.getFileName() + ".txt");
            Process build = packagingBuild(runFrom, out).start();
            try {
                WaitForAsyncUtils.waitFor(Patience.SECONDS, TimeUnit.SECONDS,
                        () -> !build.isAlive() || Files.readString(out).contains("waiting for the build"));
                assertThat(build.isAlive()).as("packaging/build waits: " + Files.readString(out)).isTrue();
                assertThat(Files.readString(out)).as("no Maven while the start builds").doesNotContain("Maven:");

                startsBuild.getOutputStream().close();
                assertThat(build.waitFor(300, TimeUnit.SECONDS)).as("packaging/build finished").isTrue();
                assertThat(Files.readString(out)).as("packaging/build's output").contains("Maven: the jars");
            } finally {
                build.destroy();
            }
        } finally {
            startsBuild.destroy();
        }
    }

    /**
     * A build killed during Maven by a signal no trap sees (SIGKILL) left its kcov-explorer-packaging.XXXXXX log in
     * TMPDIR for good. The next build removes the logs of builds that are gone (the pid in the name), and an earlier
     * version's (no pid) once a day old; a running build's log stays, and its own goes once Maven is done.
     */
    @Test
    void aBuildRemovesTheMavenLogsOfKilledBuilds() throws Exception {
        Path checkout = checkout("after-kill");
        LauncherBuildTest.reactorBuildingNothing(checkout);
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        LeftLogs left = LeftLogs.in(tmp, "kcov-explorer-packaging");

        assertThat(build(checkout)).as("packaging/build's output").contains("Maven: the jars");

        left.assertSwept();
    }

    /**
     * A checkout NAME holding a copy of packaging/build; the tests add a reactor that builds nothing
     * ({@link LauncherBuildTest#reactorBuildingNothing}).
     */
    private Path checkout(String name) throws Exception {
        Requirements.tools("mvn", "jlink", "jpackage", "jdeps", "jmod", "jar", "objcopy", "dpkg-deb", "dpkg-shlibdeps",
                "asciidoctor", "rsvg-convert", "unzip", "unshare");
        Path checkout = Files.createDirectories(work.resolve(name));
        Path script = Files.createDirectories(checkout.resolve("packaging")).resolve("build");
        Files.copy(Path.of("..", "packaging", "build"), script);
        script.toFile().setExecutable(true);
        Files.createDirectories(checkout.resolve("app/target"));
        return checkout;
    }

    /** A whole jar (its zip directory reads: no torn jar) in app/target/lib, it and the folder dated AT. */
    private static Path oldVersionCopiedAt(Path checkout, long at) throws Exception {
        Path lib = Files.createDirectories(checkout.resolve("app/target/lib"));
        Path jar = lib.resolve("jackson-core-2.0.0.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), new Manifest())) {
            out.flush();
        }
        Files.setLastModifiedTime(jar, FileTime.fromMillis(at));
        Files.setLastModifiedTime(lib, FileTime.fromMillis(at));
        return jar;
    }

    /** Runs the checkout's packaging/build, which stops after Maven (no app to package); its output. */
    private String build(Path checkout) throws Exception {
        Path out = work.resolve(checkout.getFileName() + ".txt");
        ProcessBuilder builder = packagingBuild(checkout, out);
        OptionalInt status = ChildProcesses.run(builder, Duration.ofSeconds(300));
        String output = Files.readString(out);
        assertThat(status).as("packaging/build finished: " + output).isPresent();
        assertThat(output).as("packaging/build's output").doesNotContain("the Maven build failed");
        assertThat(status.getAsInt()).as("packaging/build's exit: it had no app to package").isNotZero();
        return output;
    }

    /** The checkout's packaging/build, its output (both streams) into OUT, its build lock in work/tmp. */
    private ProcessBuilder packagingBuild(Path checkout, Path out) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(checkout.resolve("packaging/build").toString())
                .redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().put("TMPDIR", Files.createDirectories(work.resolve("tmp")).toString());
        builder.environment().remove("KCOV_EXPLORER_PACKAGING_OUT");
        return builder;
    }
}
