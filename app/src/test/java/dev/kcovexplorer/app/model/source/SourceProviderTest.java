package dev.kcovexplorer.app.model.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real .deb packages built with dpkg-deb (an xz tarball inside the package's xz data member, like linux-source),
 * unpacked through the real xz and tar. Only apt-get's network download is replaced: a test cannot rely on the
 * Debian archive, so {@link FixedDownloader} hands out packages built here, or fails like apt-get offline.
 */
class SourceProviderTest {
    private static final String NAME = "linux-source-9.9";
    private static final String HUB = "drivers/usb/core/hub.c";
    private static final String VHOST = "drivers/vhost/vhost.c";
    private static final String GENERATED = "include/generated/autoconf.h";
    private static final String HUB_TEXT = "// hub.c\nstatic void hub_event(void) {}\n";
    private static final String VHOST_TEXT = "// vhost.c\nint vhost_worker(void) { return 0; }\n";

    @TempDir
    Path temp;
    private Path cache;
    private Path noInstalledTarball;
    private SourceManifest manifest;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(onPath("dpkg-deb") && onPath("xz") && onPath("tar"), "dpkg-deb, xz and tar are needed to build test packages");
        cache = temp.resolve("cache");
        noInstalledTarball = Files.createDirectories(temp.resolve("usr-src"));
        manifest = new SourceManifest(new SourcePackage(NAME, "9.9.1-1"), Map.of(
                HUB, sha256(HUB_TEXT), VHOST, sha256(VHOST_TEXT), GENERATED, sha256("#define CONFIG_KCOV 1\n")));
    }

    @Test
    void exactVersionIsVerifiedAndGeneratedFilesAreNotInThePackage() throws Exception {
        Path deb = buildDeb("9.9.1-1", Map.of(HUB, HUB_TEXT, VHOST, VHOST_TEXT));
        SourceProvider provider = provider(new FixedDownloader(Map.of("9.9.1-1", deb), null));
        List<SourceProgress> reports = new ArrayList<>();

        provider.prepare(reports::add, () -> false);

        assertThat(provider.banner()).isEmpty();
        assertThat(provider.version()).contains("9.9.1-1");
        assertThat(provider.status(HUB)).isEqualTo(FileStatus.VERIFIED);
        assertThat(provider.text(HUB)).contains(HUB_TEXT);
        assertThat(provider.text(VHOST)).contains(VHOST_TEXT);
        assertThat(provider.status(GENERATED)).isEqualTo(FileStatus.NOT_IN_PACKAGE);
        assertThat(provider.text(GENERATED)).isEmpty();
        assertThat(reports).isNotEmpty();
        assertThat(reports.get(reports.size() - 1).fraction()).isEqualTo(1.0);
    }

    @Test
    void secondProviderReusesTheUnpackedTreeWithoutDownloading() throws Exception {
        Path deb = buildDeb("9.9.1-1", Map.of(HUB, HUB_TEXT));
        provider(new FixedDownloader(Map.of("9.9.1-1", deb), null)).prepare(p -> { }, () -> false);

        SourceProvider again = provider(new FixedDownloader(Map.of(), "offline"));
        again.prepare(p -> { }, () -> false);

        assertThat(again.text(HUB)).contains(HUB_TEXT);
        assertThat(again.banner()).isEmpty();
    }

    @Test
    void newerVersionIsShownWithABannerNamingTheDrift() throws Exception {
        String newHub = HUB_TEXT + "// a security fix\n";
        Path newer = buildDeb("9.9.2-1", Map.of(HUB, newHub, VHOST, VHOST_TEXT));
        SourceProvider provider = provider(new FixedDownloader(Map.of("9.9.2-1", newer), null));

        provider.prepare(p -> { }, () -> false);

        assertThat(provider.status(HUB)).isEqualTo(FileStatus.DRIFTED);
        assertThat(provider.text(HUB)).contains(newHub);
        assertThat(provider.status(VHOST)).isEqualTo(FileStatus.VERIFIED);
        assertThat(provider.banner()).hasValueSatisfying(banner -> assertThat(banner)
                .contains("9.9.2-1").contains("9.9.1-1").contains("1 of 2 files differ"));
    }

    @Test
    void offlineLeavesEverythingUnavailableAndSaysWhy() throws Exception {
        SourceProvider provider = provider(new FixedDownloader(Map.of(), "Failed to fetch: Temporary failure resolving"));

        provider.prepare(p -> { }, () -> false);

        assertThat(provider.status(HUB)).isEqualTo(FileStatus.UNAVAILABLE);
        assertThat(provider.text(HUB)).isEmpty();
        assertThat(provider.count(FileStatus.UNAVAILABLE)).isEqualTo(3);
        assertThat(provider.banner()).hasValueSatisfying(banner -> assertThat(banner)
                .contains("Temporary failure resolving").contains("editor stays empty"));
    }

    @Test
    void cancellingKeepsNothingHalfDone() throws Exception {
        Path deb = buildDeb("9.9.1-1", Map.of(HUB, HUB_TEXT));
        SourceProvider provider = provider(new FixedDownloader(Map.of("9.9.1-1", deb), null));

        assertThatThrownBy(() -> provider.prepare(p -> { }, () -> true)).isInstanceOf(CancellationException.class);

        assertThat(provider.status(HUB)).isEqualTo(FileStatus.UNAVAILABLE);
        try (var left = Files.list(cache.resolve("sources"))) {
            assertThat(left.toList()).isEmpty();
        }
    }

    @Test
    void aFileThatIsNoDebianPackageIsNamedInTheBanner() throws Exception {
        Path bogus = Files.writeString(temp.resolve("bogus.deb"), "not an ar archive");
        SourceProvider provider = provider(new FixedDownloader(Map.of("9.9.1-1", bogus), null));

        provider.prepare(p -> { }, () -> false);

        assertThat(provider.banner()).hasValueSatisfying(banner -> assertThat(banner).contains("not a Debian package"));
    }

    private SourceProvider provider(PackageDownloader downloader) {
        return new SourceProvider(manifest, cache, noInstalledTarball, downloader);
    }

    /** Builds NAME_VERSION_all.deb holding usr/src/NAME.tar.xz with the given files under NAME/. */
    private Path buildDeb(String version, Map<String, String> files) throws Exception {
        Path work = Files.createTempDirectory(temp, "deb");
        Path tree = work.resolve("tree").resolve(NAME);
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = tree.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
        Path root = work.resolve("root");
        Files.createDirectories(root.resolve("usr/src"));
        Files.createDirectories(root.resolve("DEBIAN"));
        run(work.resolve("tree"), "tar", "-cJf", root.resolve("usr/src/" + NAME + ".tar.xz").toString(), NAME);
        Files.writeString(root.resolve("DEBIAN/control"), "Package: " + NAME + "\nVersion: " + version
                + "\nArchitecture: all\nMaintainer: test <test@example.org>\nDescription: test sources\n");
        Path deb = work.resolve(NAME + "_" + version + "_all.deb");
        run(work, "dpkg-deb", "-Zxz", "--root-owner-group", "--build", root.toString(), deb.toString());
        return deb;
    }

    /** Plays apt-get download: copies a prepared package into the directory, or fails with an apt-like reason. */
    private static final class FixedDownloader extends PackageDownloader {
        private final Map<String, Path> debsByVersion;
        private final String failure;

        FixedDownloader(Map<String, Path> debsByVersion, String failure) {
            this.debsByVersion = debsByVersion;
            this.failure = failure;
        }

        @Override
        Deb download(String name, Optional<String> version, Path directory, BooleanSupplier cancelled) throws IOException {
            if (failure != null) {
                throw new DownloadFailed("apt-get download " + name + " failed: " + failure);
            }
            Optional<Map.Entry<String, Path>> match = debsByVersion.entrySet().stream()
                    .filter(e -> version.isEmpty() || version.get().equals(e.getKey())).findFirst();
            if (match.isEmpty()) {
                throw new DownloadFailed("apt-get download " + name + " failed: Version '" + version.orElse("") + "' was not found");
            }
            Files.createDirectories(directory);
            Path target = directory.resolve(name + "_" + match.get().getKey() + "_all.deb");
            Files.copy(match.get().getValue(), target);
            return new Deb(target, match.get().getKey());
        }
    }

    private static void run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s: %s", String.join(" ", command), output).isZero();
    }

    private static String sha256(String text) throws Exception {
        Path file = Files.createTempFile("sha", ".txt");
        try {
            Files.writeString(file, text);
            return SourceProvider.sha256(file);
        } finally {
            Files.delete(file);
        }
    }

    private static boolean onPath(String tool) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(entry, tool))) {
                return true;
            }
        }
        return false;
    }
}
