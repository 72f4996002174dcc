package dev.kcovexplorer.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a test needs from the machine. Outside CI a missing tool skips the test and says what to install;
 * under {@code CI=true} it fails the test, because CI installs everything ({@code .ci/run}) and a skip
 * there would silently hide a check that no longer runs.
 */
public final class Requirements {
    /** The Debian package of each tool whose name does not say it. */
    private static final Map<String, String> PACKAGES = Map.ofEntries(
            Map.entry("llvm-symbolizer", "llvm"), Map.entry("addr2line", "binutils"), Map.entry("objdump", "binutils"),
            Map.entry("objcopy", "binutils"), Map.entry("readelf", "binutils"), Map.entry("nm", "binutils"),
            Map.entry("strip", "binutils"),
            Map.entry("aarch64-linux-gnu-ld", "binutils-aarch64-linux-gnu"),
            Map.entry("aarch64-linux-gnu-objdump", "binutils-aarch64-linux-gnu"),
            Map.entry("genhtml", "lcov"), Map.entry("xz", "xz-utils"), Map.entry("dpkg-deb", "dpkg-dev"),
            Map.entry("qemu-system-x86_64", "qemu-system-x86"), Map.entry("flock", "util-linux"),
            Map.entry("unshare", "util-linux"), Map.entry("setsid", "util-linux"), Map.entry("setpriv", "util-linux"),
            Map.entry("mvn", "maven"), Map.entry("jlink", "openjdk-17-jdk-headless"),
            Map.entry("jpackage", "openjdk-17-jdk-headless"),
            Map.entry("jdeps", "openjdk-17-jdk-headless"), Map.entry("jmod", "openjdk-17-jdk-headless"),
            Map.entry("jar", "openjdk-17-jdk-headless"), Map.entry("dpkg-shlibdeps", "dpkg-dev"),
            Map.entry("rsvg-convert", "librsvg2-bin"));

    private Requirements() {
    }

    /** True when {@code tool} is an executable on the PATH. */
    public static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Requires each tool on the PATH. */
    public static void tools(String... tools) {
        for (String tool : tools) {
            require(onPath(tool), whyMissing(tool));
        }
    }

    static String whyMissing(String tool) {
        return tool + " is not installed (apt-get install " + PACKAGES.getOrDefault(tool, tool) + ")";
    }

    /**
     * Requires something CI provides: {@code why} says what is missing and how to get it. For what no CI
     * machine has (a kcov kernel, a built demo kernel), use a plain assumption instead.
     */
    public static void require(boolean present, String why) {
        require(present, why, "true".equals(System.getenv("CI")));
    }

    static void require(boolean present, String why, boolean inCi) {
        if (!present && inCi) {
            fail("missing under CI=true, where .ci/run installs it: " + why);
        }
        assumeTrue(present, why);
    }
}
