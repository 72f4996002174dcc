package dev.kcovexplorer.app.model.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build tree on this machine that lacks some of the session's sources, with the session's Debian package (a real
 * xz tarball, installed where /usr/src would be) for those: a file the tree has comes from the tree (its copy differs
 * from the package's here, so the text tells where it came from), one it lacks from the package with a banner naming
 * both, also one the look at the tree before the package is prepared did not see missing; and a tree that has every
 * file never looks for the package.
 */
class BuildTreeWithPackageTest {
    private static final String NAME = "linux-source-9.9";
    private static final String HUB = "drivers/usb/core/hub.c";
    private static final String VHOST = "drivers/vhost/vhost.c";
    private static final String HUB_TEXT = "// hub.c\nstatic void hub_event(void) {}\n";
    private static final String VHOST_TEXT = "// vhost.c\nint vhost_worker(void) { return 0; }\n";
    private static final String PACKAGED_VHOST = VHOST_TEXT + "// as packaged\n";

    @TempDir
    Path temp;
    private Path tree;
    private Path installed;
    private SourceManifest manifest;

    @BeforeEach
    void setUp() throws Exception {
        Requirements.tools("xz", "tar");
        tree = Files.createDirectories(temp.resolve("build"));
        Files.createDirectories(tree.resolve(VHOST).getParent());
        Files.writeString(tree.resolve(VHOST), VHOST_TEXT);
        installed = Files.createDirectories(temp.resolve("usr-src"));
        manifest = new SourceManifest(new SourcePackage(NAME, "9.9.1-1"),
                Map.of(HUB, TestTarballs.sha256(HUB_TEXT), VHOST, TestTarballs.sha256(VHOST_TEXT)));
    }

    @Test
    void aFileTheTreeLacksComesFromThePackageAndSaysSo() throws Exception {
        TestTarballs.tarball(installed, NAME + ".tar.xz", NAME, Map.of(HUB, HUB_TEXT, VHOST, PACKAGED_VHOST), 1 << 20);
        BuildTreeWithPackage sources = sources();

        sources.prepare(p -> { }, () -> false);

        assertThat(sources.text(HUB, () -> false)).contains(HUB_TEXT);
        assertThat(sources.banner(HUB)).isEqualTo(HUB + " is not under " + tree
                + ": shown from the Debian package linux-source-9.9 9.9.1-1.");
        assertThat(sources.text(VHOST, () -> false)).as("the tree's own copy").contains(VHOST_TEXT);
        assertThat(sources.banner(VHOST)).isNull();
    }

    /** The tree has hub.c, the file looked for first, but lacks vhost.c: the package is prepared when it is read. */
    @Test
    void aFileMissingFromAnOtherwiseWholeTreeComesFromThePackageWhenRead() throws Exception {
        TestTarballs.tarball(installed, NAME + ".tar.xz", NAME, Map.of(HUB, HUB_TEXT, VHOST, PACKAGED_VHOST), 1 << 20);
        Files.delete(tree.resolve(VHOST));
        Files.createDirectories(tree.resolve(HUB).getParent());
        Files.writeString(tree.resolve(HUB), HUB_TEXT + "// the tree's\n");
        BuildTreeWithPackage sources = sources();

        sources.prepare(p -> { }, () -> false);

        assertThat(sources.text(HUB, () -> false)).contains(HUB_TEXT + "// the tree's\n");
        assertThat(sources.text(VHOST, () -> false)).contains(PACKAGED_VHOST);
        assertThat(sources.banner(VHOST)).startsWith(VHOST + " is not under " + tree + ": shown from the Debian package")
                .contains("differs");
    }

    @Test
    void withoutThePackageTheBannerSaysWhyNeitherHasTheFile() throws Exception {
        BuildTreeWithPackage sources = sources();

        sources.prepare(p -> { }, () -> false);

        assertThat(sources.text(HUB, () -> false)).isEmpty();
        assertThat(sources.banner(HUB)).startsWith(HUB + " is not under " + tree + ".").contains("No kernel sources");
    }

    @Test
    void aTreeWithEveryFileNeverLooksForThePackage() throws Exception {
        Files.createDirectories(tree.resolve(HUB).getParent());
        Files.writeString(tree.resolve(HUB), HUB_TEXT);
        SourceProvider pkg = provider();
        BuildTreeWithPackage sources = new BuildTreeWithPackage(tree, new DirectorySources(tree, manifest.sha256ByPath()), pkg);

        sources.prepare(p -> { }, () -> false);

        assertThat(pkg.failure()).as("the package was never looked for").contains("Kernel sources have not been fetched yet.");
        assertThat(sources.text(HUB, () -> false)).contains(HUB_TEXT);
        assertThat(sources.banner(HUB)).isNull();
    }

    private BuildTreeWithPackage sources() {
        return new BuildTreeWithPackage(tree, new DirectorySources(tree, manifest.sha256ByPath()), provider());
    }

    private SourceProvider provider() {
        return new SourceProvider(manifest, temp.resolve("cache"), installed, name -> "9.9.1-1", PackageDownloader.NONE);
    }
}
