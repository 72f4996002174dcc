package dev.kcovexplorer.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kcovexplorer.app.live.DemoKernel;
import dev.kcovexplorer.app.live.ModularDemoKernel;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The trust question of loadable modules, on real captures: the same scenario recorded on the demo kernel
 * (hub.c and vhost.c built in) and on its modular twin (usbcore and vhost loaded as modules, their PCs
 * placed through the layout the agent recorded) must light up the same lines of the same file, give or
 * take the run-to-run noise of a real workload (5%). A module placed wrong paints other lines, or none;
 * a PC the layout cannot place is said, and must not happen here.
 */
class ModularCaptureSystemTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{1} in {0}")
    @CsvSource({"usb-keyboard, drivers/usb/core/hub.c", "vhost-net, drivers/vhost/vhost.c"})
    void theModularKernelCoversTheLinesTheBuiltInOneDoes(String scenario, String file) throws Exception {
        ModularDemoKernel.assumeCaptured(scenario);
        Path builtInDump = ModularDemoKernel.BUILT_IN_CAPTURES.resolve(scenario + "-pc.kcov");
        Path modularDump = ModularDemoKernel.CAPTURES.resolve(scenario + "-pc.kcov");

        CliRunner.Result builtIn = CliRunner.run("report", "--vmlinux", DemoKernel.vmlinux().toString(), "-o",
                dir.resolve("built-in.json").toString(), "run=" + builtInDump);
        assertThat(builtIn.status()).as(builtIn.err()).isZero();
        CliRunner.Result modular = CliRunner.run("report", "--vmlinux", ModularDemoKernel.vmlinux().toString(),
                "--modules", ModularDemoKernel.modules().toString(), "-o", dir.resolve("modular.json").toString(),
                "run=" + modularDump);
        assertThat(modular.status()).as(modular.err()).isZero();
        assertThat(modular.err()).as("every module PC placed").doesNotContain("left out").doesNotContain("warning");

        JsonNode a = fileOf(dir.resolve("built-in.json"), file);
        JsonNode b = fileOf(dir.resolve("modular.json"), file);
        int coveredA = a.path("lines").path("covered").size();
        int coveredB = b.path("lines").path("covered").size();
        int reachedA = coveredA + a.path("lines").path("partial").size();
        int reachedB = coveredB + b.path("lines").path("partial").size();
        System.out.printf("%s: covered lines built-in %d, modular %d; covered or partial %d, %d; points %d of %d,"
                + " %d of %d%n", file, coveredA, coveredB, reachedA, reachedB, a.path("coveredPoints").asInt(),
                a.path("points").asInt(), b.path("coveredPoints").asInt(), b.path("points").asInt());
        assertThat(coveredA).as("the built-in capture covers " + file).isPositive();
        assertThat((double) coveredB).as("covered lines of " + file).isBetween(0.95 * coveredA, 1.05 * coveredA);
        assertThat((double) reachedB).as("covered or partial lines of " + file).isBetween(0.95 * reachedA,
                1.05 * reachedA);
    }

    /**
     * The report's entry of {@code file}: a module's files are relative to the kernel tree as the kernel's are,
     * although the modular kernel's modules were compiled in a copy of that tree.
     */
    private static JsonNode fileOf(Path report, String file) throws Exception {
        JsonNode found = null;
        for (JsonNode f : JSON.readTree(report.toFile()).path("files")) {
            if (f.path("path").asText().equals(file)) {
                assertThat(found).as("one entry for " + file + " in " + report).isNull();
                found = f;
            }
        }
        assertThat(found).as(file + " in " + report).isNotNull();
        return found;
    }
}
