package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.app.model.fixture.InstrumentedProgram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code index} in a child JVM, so {@code XDG_CACHE_HOME} is really read from the environment. */
class IndexCommandTest {
    @TempDir
    Path dir;

    @Test
    void buildsThenReusesTheCacheUnderXdgCacheHome() throws Exception {
        assumeTrue(InstrumentedProgram.toolsAvailable(), "needs gcc, objdump and llvm-symbolizer on the PATH");
        InstrumentedProgram program = InstrumentedProgram.build(dir);
        Path cache = dir.resolve("xdg");

        String first = index(program.binary(), cache);
        assertThat(first).startsWith("built the index: " + cache.resolve("kcov-explorer").resolve("index"))
                .containsPattern("\\d+ call points, \\d+ tail-call points").containsPattern("in \\d+\\.\\d\\d s");
        String second = index(program.binary(), cache);
        assertThat(second).startsWith("reused the cached index: ");
        assertThat(second.lines().skip(1).findFirst()).isEqualTo(first.lines().skip(1).findFirst());
    }

    private static String index(Path vmlinux, Path cacheHome) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.kcovexplorer.app.Main", "index", "--vmlinux",
                vmlinux.toString()).redirectErrorStream(true);
        pb.environment().put("XDG_CACHE_HOME", cacheHome.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
