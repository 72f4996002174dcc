package dev.kcovexplorer.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's class-data-sharing archive, recorded by two demo VMs starting at once into one cache (two test
 * JVMs, or two windows): each gets the archive, the JVM maps it with sharing required, and no half-written
 * recording is left under the archive's name or beside it.
 */
class AgentArchiveTest {
    @TempDir
    Path cache;

    @Test
    void twoRecordingsAtOnceLeaveOneArchiveTheJvmMaps() throws Exception {
        DemoVmOptions options = DemoVmOptions.defaults(DemoVmOptions.thisRepository());
        CompletableFuture<AgentArchive.Prepared> first = CompletableFuture.supplyAsync(() -> AgentArchive.prepare(options, cache));
        CompletableFuture<AgentArchive.Prepared> second = CompletableFuture.supplyAsync(() -> AgentArchive.prepare(options, cache));
        AgentArchive.Prepared one = first.get(5, TimeUnit.MINUTES);
        AgentArchive.Prepared other = second.get(5, TimeUnit.MINUTES);

        assertThat(one.archive()).as("the first recording's archive").isNotNull().isEqualTo(other.archive());
        try (Stream<Path> left = Files.list(cache)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("what the cache holds")
                    .noneMatch(name -> name.endsWith(".partial"));
        }
        List<String> command = new ArrayList<>(List.of(options.java(), "-Xshare:on",
                "-XX:SharedArchiveFile=" + one.archive()));
        command.addAll(AgentArchive.JVM_OPTIONS);
        command.addAll(List.of("-cp", one.classPath(), "dev.kcovexplorer.kcov.agent.AgentMain", "--help"));
        Process mapped = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(mapped.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(mapped.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(mapped.exitValue()).as("the agent with the archive mapped (-Xshare:on): %s", output).isZero();
    }

    @Test
    void aRecordingRemovesThisCheckoutsEarlierArchivesAndOtherCheckoutsOnlyWhenLongUnused() throws Exception {
        DemoVmOptions options = DemoVmOptions.defaults(DemoVmOptions.thisRepository());
        Path current = AgentArchive.prepare(options, cache).archive();
        assertThat(current).isNotNull();
        String name = current.getFileName().toString();
        String ours = name.substring(0, name.lastIndexOf('-') + 1);
        String other = ours.equals("agent-00000000-") ? "agent-11111111-" : "agent-00000000-";
        // Recorded again (its class path changed, say), with what the cache holds besides.
        Files.delete(current);
        Path superseded = Files.write(cache.resolve(ours + "0123456789abcdef.jsa"), new byte[4096]);
        Path otherCheckouts = Files.write(cache.resolve(other + "0123456789abcdef.jsa"), new byte[4096]);
        Path otherCheckoutsUnused = Files.write(cache.resolve(other + "fedcba9876543210.jsa"), new byte[4096]);
        Path earlierVersionsUnused = Files.write(cache.resolve("agent-0123456789abcdef.jsa"), new byte[4096]);
        Path earlierVersions = Files.write(cache.resolve("agent-fedcba9876543210.jsa"), new byte[4096]);
        for (Path unused : List.of(otherCheckoutsUnused, earlierVersionsUnused)) {
            Files.setLastModifiedTime(unused, FileTime.from(Instant.now().minus(Duration.ofDays(30))));
        }

        AgentArchive.Prepared again = AgentArchive.prepare(options, cache);

        assertThat(again.archive()).isEqualTo(current).exists();
        try (Stream<Path> left = Files.list(cache)) {
            assertThat(left.filter(p -> p.getFileName().toString().endsWith(".jsa")))
                    .as("this checkout's earlier archive and the month-old ones are gone")
                    .containsExactlyInAnyOrder(current, otherCheckouts, earlierVersions);
        }
        assertThat(superseded).doesNotExist();
    }

    /**
     * The class directories packed into jars for a build pile up (~280 KB a build) unless they go with the archive
     * that mapped them: a new recording removes this checkout's jars its class path no longer names, another
     * checkout's only once it has no archive and they are long unused, earlier versions' only once long unused.
     */
    @Test
    void aRecordingRemovesTheJarsOfThisCheckoutsEarlierBuilds() throws Exception {
        DemoVmOptions options = withKcovClassDirectory(DemoVmOptions.defaults(DemoVmOptions.thisRepository()));
        AgentArchive.Prepared first = AgentArchive.prepare(options, cache);
        assertThat(first.archive()).isNotNull();
        List<Path> packed = Stream.of(first.classPath().split(java.io.File.pathSeparator)).map(Path::of)
                .filter(p -> p.startsWith(cache)).toList();
        assertThat(packed).as("the build's class directories, packed").isNotEmpty();
        String name = first.archive().getFileName().toString();
        String checkout = name.substring("agent-".length(), name.lastIndexOf('-'));
        String other = checkout.equals("00000000") ? "11111111" : "00000000";
        String another = checkout.equals("22222222") ? "33333333" : "22222222";
        // Recorded again (its classes were rebuilt, say), with what the cache holds besides.
        Files.delete(first.archive());
        Path earlierBuild = Files.write(cache.resolve("classes-" + checkout + "-0123456789abcdef.jar"), new byte[4096]);
        Path otherCheckouts = Files.write(cache.resolve("classes-" + other + "-0123456789abcdef.jar"), new byte[4096]);
        Files.write(cache.resolve("agent-" + other + "-0123456789abcdef.jsa"), new byte[4096]);
        Path otherCheckoutsLongUnused = Files.write(cache.resolve("classes-" + other + "-fedcba9876543210.jar"),
                new byte[4096]);
        Path goneCheckouts = Files.write(cache.resolve("classes-" + another + "-0123456789abcdef.jar"), new byte[4096]);
        Path earlierVersions = Files.write(cache.resolve("classes-0123456789abcdef.jar"), new byte[4096]);
        Path earlierVersionsRecent = Files.write(cache.resolve("classes-fedcba9876543210.jar"), new byte[4096]);
        for (Path unused : List.of(otherCheckoutsLongUnused, goneCheckouts, earlierVersions)) {
            Files.setLastModifiedTime(unused, FileTime.from(Instant.now().minus(Duration.ofDays(30))));
        }

        AgentArchive.Prepared again = AgentArchive.prepare(options, cache);

        assertThat(again.archive()).isNotNull();
        List<Path> kept = new ArrayList<>(packed);
        kept.addAll(List.of(otherCheckouts, otherCheckoutsLongUnused, earlierVersionsRecent));
        try (Stream<Path> left = Files.list(cache)) {
            assertThat(left.filter(p -> p.getFileName().toString().endsWith(".jar")))
                    .as("the jars of this build, of a checkout with an archive, and a recent one of an earlier version")
                    .containsExactlyInAnyOrderElementsOf(kept);
        }
        assertThat(List.of(earlierBuild, goneCheckouts, earlierVersions)).allSatisfy(p -> assertThat(p).doesNotExist());
    }

    @Test
    void preparingRemovesThePartialsOfKilledPreparationsAndKeepsThoseUnderWay() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Process preparing = new ProcessBuilder("cat").start(); // runs until its input closes: a preparation under way
        try {
            Path killedRecording = Files.write(cache.resolve("agent-0123456789abcdef.jsa." + gone.pid() + "-18c2f.partial"),
                    new byte[4096]);
            Path killedPacking = Files.write(cache.resolve("classes-00112233.jar." + gone.pid() + "-4711.partial"),
                    new byte[4096]);
            Path recording = Files.write(cache.resolve("agent-0123456789abcdef.jsa." + preparing.pid() + "-18c30.partial"),
                    new byte[4096]);
            Path oldUnnamed = Files.write(cache.resolve("classes-815.partial"), new byte[4096]);
            Files.setLastModifiedTime(oldUnnamed, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
            Path recentUnnamed = Files.write(cache.resolve("classes-816.partial"), new byte[4096]);

            AgentArchive.Prepared prepared = AgentArchive.prepare(DemoVmOptions.defaults(DemoVmOptions.thisRepository()),
                    cache);

            assertThat(prepared.archive()).isNotNull();
            try (Stream<Path> left = Files.list(cache)) {
                assertThat(left.filter(p -> p.getFileName().toString().endsWith(".partial")))
                        .as("a killed preparation's partials and an hour-old pid-less one are gone")
                        .containsExactlyInAnyOrder(recording, recentUnnamed);
            }
            assertThat(killedRecording).doesNotExist();
            assertThat(killedPacking).doesNotExist();
        } finally {
            preparing.destroy();
            preparing.waitFor();
        }
    }

    /**
     * The options with the kcov module's class directory where the class path names its jar: {@code mvn verify}
     * hands the module over packaged, {@code mvn test} as its directory, and only a directory is packed.
     */
    private static DemoVmOptions withKcovClassDirectory(DemoVmOptions options) {
        String classPath = Stream.of(options.agentClassPath().split(File.pathSeparator)).map(Path::of)
                .map(entry -> entry.getParent().endsWith(Path.of("kcov", "target")) && entry.toString().endsWith(".jar")
                        ? entry.resolveSibling("classes") : entry)
                .map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        return new DemoVmOptions(options.bzImage(), options.vmlinux(), options.qemu(), options.accel(), options.memory(),
                options.cpus(), options.usbPort(), options.vhostPort(), options.repository(), options.java(), classPath,
                options.appendArgs());
    }
}
