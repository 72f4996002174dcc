package dev.kcovexplorer.app.live;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kcovexplorer.symbolizer.index.CacheDirectory;
import dev.kcovexplorer.testing.Requirements;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** The demo kcov kernel of {@code sample-data/kernel/build}, for the tests that boot it under QEMU. */
public final class DemoKernel {
    /** Where {@code sample-data/kernel/build} leaves bzImage and vmlinux. */
    public static final Path DIR = CacheDirectory.ofUser().resolve("kernel");
    /** The repository's root (tests run in a module directory). */
    public static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    private DemoKernel() {
    }

    public static Path bzImage() {
        return DIR.resolve("bzImage");
    }

    public static Path vmlinux() {
        return DIR.resolve("vmlinux");
    }

    /** Skips the calling test, saying why, unless the kernel, QEMU and the VM scripts are here. */
    public static void assumeBootable() {
        assumeTrue(Files.isRegularFile(bzImage()) && Files.isRegularFile(vmlinux()),
                "no kcov kernel in " + DIR + ": build one with sample-data/kernel/build to run the live system tests");
        Requirements.tools("qemu-system-x86_64");
        assumeTrue(Files.isExecutable(ROOT.resolve("sample-data/vm/boot")), "the VM scripts of sample-data/vm are missing");
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
