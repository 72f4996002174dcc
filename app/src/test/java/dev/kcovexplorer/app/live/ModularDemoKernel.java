package dev.kcovexplorer.app.live;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The modular twin of the demo kernel ({@code sample-data/kernel/build --modular}: USB, its host controllers,
 * usb-storage, HID and vhost as modules) and what {@code sample-data/capture --modular} recorded on it.
 */
public final class ModularDemoKernel {
    /** Where {@code sample-data/kernel/build --modular} leaves bzImage, vmlinux and modules-root. */
    public static final Path DIR = DemoKernel.DIR.resolveSibling("kernel-modular");
    /** Where {@code sample-data/capture --modular} leaves its dumps, each with its layout. */
    public static final Path CAPTURES = DemoKernel.DIR.resolveSibling("captures-modular");
    /** Where {@code sample-data/capture} leaves the built-in kernel's dumps. */
    public static final Path BUILT_IN_CAPTURES = DemoKernel.DIR.resolveSibling("captures");

    private ModularDemoKernel() {
    }

    public static Path vmlinux() {
        return DIR.resolve("vmlinux");
    }

    /** The {@code modules_install} root: the unstripped .ko files are below it. */
    public static Path modules() {
        return DIR.resolve("modules-root");
    }

    /**
     * Skips the calling test, saying what to run, unless both kernels and the {@code -pc} dumps of
     * {@code scenario} recorded on each are here (CI never builds kernels). Each is checked by what its script
     * writes last (the build's stamp, the capture's SCENARIO.json), so one killed halfway is not taken as done.
     */
    public static void assumeCaptured(String scenario) {
        assumeTrue(Files.isRegularFile(DIR.resolve("stamp")) && Files.isRegularFile(vmlinux())
                        && Files.isDirectory(modules()),
                "no complete modular kcov kernel in " + DIR + ": build it with sample-data/kernel/build --modular");
        assumeTrue(Files.isRegularFile(DemoKernel.vmlinux()),
                "no demo kernel in " + DemoKernel.DIR + ": build it with sample-data/kernel/build");
        assumeTrue(Files.isRegularFile(CAPTURES.resolve(scenario + ".json"))
                        && Files.isRegularFile(CAPTURES.resolve(scenario + "-pc.kcov.layout")),
                "no complete modular capture of " + scenario + " in " + CAPTURES
                        + ": run sample-data/capture --modular");
        assumeTrue(Files.isRegularFile(BUILT_IN_CAPTURES.resolve(scenario + ".json"))
                        && Files.isRegularFile(BUILT_IN_CAPTURES.resolve(scenario + "-pc.kcov")),
                "no complete built-in capture of " + scenario + " in " + BUILT_IN_CAPTURES
                        + ": run sample-data/capture");
    }
}
