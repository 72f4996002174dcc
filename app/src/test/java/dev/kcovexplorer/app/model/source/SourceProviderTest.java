package dev.kcovexplorer.app.model.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kcovexplorer.symbolizer.index.CacheDirectory;
import dev.kcovexplorer.testing.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real .deb packages built with dpkg-deb (an xz tarball inside the package's xz data member, like linux-source),
 * read in pure Java. Only apt-get's network download is replaced: a test cannot rely on the Debian archive, so
 * {@link FixedDownloader} hands out packages built here, or fails like apt-get offline.
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
        Requirements.tools("dpkg-deb", "xz", "tar");
        cache = temp.resolve("cache");
        noInstalledTarball = Files.createDirectories(temp.resolve("usr-src"));
        manifest = new SourceManifest(new SourcePackage(NAME, "9.9.1-1"), Map.of(
                HUB, TestTarballs.sha256(HUB_TEXT), VHOST, TestTarballs.sha256(VHOST_TEXT),
                GENERATED, TestTarballs.sha256("#define CONFIG_KCOV 1\n")));
    }

    @Test
    void exactVersionIsVerifiedAndGeneratedFilesAreNotInThePackage() throws Exception {
        Path deb = buildDeb("9.9.1-1", Map.of(HUB, HUB_TEXT, VHOST, VHOST_TEXT));
        SourceProvider provider = provider(new FixedDownloader(Map.of("9.9.1-1", deb), null));
        List<SourceProgress> reports = new ArrayList<>();

        provider.prepare(reports::add, () -> false);
        provider.unpackRest(reports::add, () -> false);

        assertThat(provider.failure()).isEmpty();
        assertThat(provider.isComplete()).isTrue();
        assertThat(provider.version()).contains("9.9.1-1");
        assertThat(provider.text(HUB, () -> false)).contains(HUB_TEXT);
        assertThat(provider.status(HUB)).isEqualTo(FileStatus.VERIFIED);
        assertThat(provider.banner(HUB)).isNull();
        assertThat(provider.text(VHOST, () -> false)).contains(VHOST_TEXT);
        assertThat(provider.text(GENERATED, () -> false)).isEmpty();
        assertThat(provider.status(GENERATED)).isEqualTo(FileStatus.NOT_IN_PACKAGE);
        assertThat(provider.banner(GENERATED)).contains("is not in").contains("generated during the build");
        assertThat(reports).isNotEmpty();
    }

    @Test
    void secondProviderReusesTheUnpackedTreeWithoutDownloading() throws Exception {
        Path deb = buildDeb("9.9.1-1", Map.of(HUB, HUB_TEXT));
        SourceProvider first = provider(new FixedDownloader(Map.of("9.9.1-1", deb), null));
        first.prepare(p -> { }, () -> false);
        first.unpackRest(p -> { }, () -> false);

        SourceProvider again = provider(new FixedDownloader(Map.of(), "offline"));
        again.prepare(p -> { }, () -> false);

        assertThat(again.isComplete()).isTrue();
        assertThat(again.text(HUB, () -> false)).contains(HUB_TEXT);
        assertThat(again.banner(HUB)).isNull();
    }

    @Test
    void newerVersionIsShownWithABannerNamingTheDrift() throws Exception {
        String newHub = HUB_TEXT + "// a security fix\n";
        Path newer = buildDeb("9.9.2-1", Map.of(HUB, newHub, VHOST, VHOST_TEXT));
        SourceProvider provider = provider(new FixedDownloader(Map.of("9.9.2-1", newer), null));

        provider.prepare(p -> { }, () -> false);

        assertThat(provider.text(HUB, () -> false)).contains(newHub);
        assertThat(provider.status(HUB)).isEqualTo(FileStatus.DRIFTED);
        assertThat(provider.banner(HUB)).contains("9.9.2-1").contains("9.9.1-1").contains("differs");
        assertThat(provider.text(VHOST, () -> false)).contains(VHOST_TEXT);
        assertThat(provider.status(VHOST)).as("an unchanged file of the other version matches its hash")
                .isEqualTo(FileStatus.VERIFIED);
    }

    @Test
    void anInstalledTarballOfAnotherVersionIsUsedBeforeDownloadingOne() throws Exception {
        Path installed = Files.createDirectories(temp.resolve("installed"));
        TestTarballs.tarball(installed, NAME + ".tar.xz", NAME, Map.of(HUB, HUB_TEXT + "// -3\n"), 1 << 20);
        FixedDownloader downloader = new FixedDownloader(Map.of("9.9.4-1", buildDeb("9.9.4-1", Map.of(HUB, HUB_TEXT))), null);
        SourceProvider provider = new SourceProvider(manifest, cache, installed, name -> "9.9.3-1", downloader);

        provider.prepare(p -> { }, () -> false);

        assertThat(downloader.calls).as("only the exact version was asked for").isEqualTo(1);
        assertThat(provider.version()).contains("9.9.3-1");
        assertThat(provider.text(HUB, () -> false)).contains(HUB_TEXT + "// -3\n");
        assertThat(provider.banner(HUB)).contains("9.9.3-1").contains("9.9.1-1");
    }

    /**
     * The providers the window uses keep what they fetch and unpack in the program's one cache directory, which
     * the tests' build points into target: a test never writes into the user's ~/.cache.
     */
    @Test
    void theWindowsProvidersUseTheCacheDirectoryThePropertyNames() throws Exception {
        assertThat(System.getProperty(CacheDirectory.PROPERTY)).as("the build's cache directory for tests").isNotBlank();
        Path cacheDir = CacheDirectory.get();
        String version = "9.9.7-" + ProcessHandle.current().pid();
        SourceManifest wanted = new SourceManifest(new SourcePackage(NAME, version), Map.of(HUB,
                TestTarballs.sha256(HUB_TEXT)));
        Path tarball = TestTarballs.tarball(temp, PackageDownloader.tarballName(NAME, version), NAME,
                Map.of(HUB, HUB_TEXT), 1 << 20);
        Path debs = Files.createDirectories(cacheDir.resolve("debs"));
        Files.move(tarball, debs.resolve(tarball.getFileName()));
        SourceProvider provider = SourceProvider.withoutDownloads(wanted);
        try {
            provider.prepare(p -> { }, () -> false);

            assertThat(provider.failure()).isEmpty();
            assertThat(provider.text(HUB, () -> false)).contains(HUB_TEXT);
            assertThat(CacheDirectory.ofUser().resolve("sources").resolve(NAME + "_" + version)).doesNotExist();
        } finally {
            provider.forgetCopies();
        }
    }

    @Test
    void offlineLeavesEverythingUnavailableAndSaysWhy() throws Exception {
        SourceProvider provider = provider(new FixedDownloader(Map.of(), "Failed to fetch: Temporary failure resolving"));

        provider.prepare(p -> { }, () -> false);

        assertThat(provider.text(HUB, () -> false)).isEmpty();
        assertThat(provider.status(HUB)).isEqualTo(FileStatus.UNAVAILABLE);
        assertThat(provider.banner(HUB)).contains("Temporary failure resolving").contains("editor stays empty");
    }

    @Test
    void cancellingTheUnpackLeavesATreeThatIsNotComplete() throws Exception {
        Path deb = buildDeb("9.9.1-1", Map.of(HUB, HUB_TEXT));
        SourceProvider provider = provider(new FixedDownloader(Map.of("9.9.1-1", deb), null));
        provider.prepare(p -> { }, () -> false);

        assertThatThrownBy(() -> provider.unpackRest(p -> { }, () -> true)).isInstanceOf(CancellationException.class);

        assertThat(provider.isComplete()).isFalse();
        provider.text(GENERATED, () -> false);
        assertThat(provider.status(GENERATED)).as("not known to be absent").isEqualTo(FileStatus.PENDING);
    }

    @Test
    void reFetchingDropsTheTreeAndTheFetchedPackage() throws Exception {
        Path deb = buildDeb("9.9.1-1", Map.of(HUB, HUB_TEXT));
        FixedDownloader downloader = new FixedDownloader(Map.of("9.9.1-1", deb), null);
        SourceProvider provider = provider(downloader);
        provider.prepare(p -> { }, () -> false);
        provider.unpackRest(p -> { }, () -> false);

        provider.forgetCopies();

        assertThat(provider.status(HUB)).isEqualTo(FileStatus.UNAVAILABLE);
        assertThat(TestTarballs.files(cache)).allMatch(f -> f.endsWith(".lock"));
        provider.prepare(p -> { }, () -> false);
        assertThat(downloader.calls).isEqualTo(2);
        assertThat(provider.text(HUB, () -> false)).contains(HUB_TEXT);
    }

    @Test
    void aFileThatIsNoDebianPackageIsNamedInTheBanner() throws Exception {
        Path bogus = Files.writeString(temp.resolve("bogus.deb"), "not an ar archive");
        SourceProvider provider = provider(new FixedDownloader(Map.of("9.9.1-1", bogus), null));

        provider.prepare(p -> { }, () -> false);

        assertThat(provider.banner(HUB)).contains("not a Debian package").contains(NAME + "_9.9.1-1_all.deb");
    }

    private SourceProvider provider(PackageDownloader downloader) {
        return new SourceProvider(manifest, cache, noInstalledTarball, name -> "", downloader);
    }

    /** Builds NAME_VERSION_all.deb holding usr/src/NAME.tar.xz with the given files under NAME/. */
    private Path buildDeb(String version, Map<String, String> files) throws Exception {
        Path work = Files.createTempDirectory(temp, "deb");
        Path root = work.resolve("root");
        Path src = Files.createDirectories(root.resolve("usr/src"));
        TestTarballs.tarball(src, NAME + ".tar.xz", NAME, files, 1 << 20);
        Files.createDirectories(root.resolve("DEBIAN"));
        Files.writeString(root.resolve("DEBIAN/control"), "Package: " + NAME + "\nVersion: " + version
                + "\nArchitecture: all\nMaintainer: test <test@example.org>\nDescription: test sources\n");
        Path deb = work.resolve(NAME + "_" + version + "_all.deb");
        TestTarballs.run(work, "dpkg-deb", "-Zxz", "--root-owner-group", "--build", root.toString(), deb.toString());
        return deb;
    }

    /** Plays apt-get download: copies a prepared package into the directory, or fails with an apt-like reason. */
    private static final class FixedDownloader extends PackageDownloader {
        private final Map<String, Path> debsByVersion;
        private final String failure;
        int calls;

        FixedDownloader(Map<String, Path> debsByVersion, String failure) {
            this.debsByVersion = debsByVersion;
            this.failure = failure;
        }

        @Override
        Deb download(String name, Optional<String> version, Path directory, BooleanSupplier cancelled) throws IOException {
            calls++;
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
}
