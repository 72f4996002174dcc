package dev.kcovexplorer.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
}
