package dev.kcovexplorer.app;

import static dev.kcovexplorer.app.model.fixture.CampaignFixture.DEMO;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A session too big for the heap the user gave is one line naming the limit and the way to raise it. */
class OutOfMemoryMessageTest {

    @Test
    void aReportThatDoesNotFitTheHeapSaysSoInOneLine(@TempDir Path dir) throws IOException, InterruptedException {
        Path err = dir.resolve("stderr.txt");
        // 48 MB holds the JVM and the parser but not the demo's 45 MB kernel index.
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx48m", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "report", "--session", DEMO.toString(), "--format", "json"))
                .redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String text = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isEqualTo(1);
        assertThat(text).startsWith("kcov-explorer: out of memory: the input needs more than the Java heap's limit of ")
                .contains("KCOV_EXPLORER_JAVA_OPTS=-Xmx").doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(text.strip().lines()).hasSize(1);
    }
}
