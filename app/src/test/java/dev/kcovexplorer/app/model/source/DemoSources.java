package dev.kcovexplorer.app.model.source;

import static org.junit.jupiter.api.Assertions.fail;

import dev.kcovexplorer.symbolizer.index.CacheDirectory;
import dev.kcovexplorer.testing.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;

/**
 * A session's kernel sources for tests, never downloaded: the tree {@code ./kcov-explorer} unpacked into the
 * user's cache (read only), else the package's tarball it fetched there, else the installed
 * {@code /usr/src/NAME.tar.xz}, from which the files a test needs are read on demand into the test's own
 * directory. Without any of them the test is skipped saying how to get them, and fails under {@code CI=true}
 * (where {@code .ci/run} installs the package).
 */
public final class DemoSources {
    private DemoSources() {
    }

    /** Sources holding at least {@code needed}; each file still carries its banner when it differs from the build. */
    public static KernelSources forTest(SourceManifest manifest, Path scratch, Collection<String> needed) throws IOException {
        SourcePackage pkg = manifest.sourcePackage();
        Path userCache = CacheDirectory.ofUser();
        Path unpacked = userCache.resolve("sources").resolve(pkg.name() + "_" + pkg.version().replace(':', '+'));
        if (new UnpackedSources(unpacked, unpacked, manifest.sha256ByPath()).isComplete()) {
            return new DirectorySources(unpacked, manifest.sha256ByPath());
        }
        Optional<Path> tarball = PackageDownloader.cached(pkg.name(), pkg.version(), userCache.resolve("debs"))
                .map(PackageDownloader.Deb::file).filter(f -> f.toString().endsWith(".tar.xz"))
                .or(() -> Optional.of(Path.of("/usr/src", pkg.name() + ".tar.xz")).filter(Files::isRegularFile));
        if (tarball.isEmpty()) {
            String why = "the kernel sources of " + pkg + " are not on this machine: run ./kcov-explorer once, or "
                    + "apt-get install " + pkg.name();
            Requirements.require(false, why);
        }
        Path tree = scratch.resolve("sources");
        TarballSources reader = new TarballSources(tarball.get(), tree, manifest.sha256ByPath(), null);
        for (String path : needed) {
            if (reader.text(path, () -> false).isEmpty()) {
                fail(path + " is not in " + tarball.get() + " (read by seeking, as the window's first editor is)");
            }
        }
        return new DirectorySources(tree, manifest.sha256ByPath());
    }
}
