package dev.kcovexplorer.app.ui.session;

import static dev.kcovexplorer.app.model.fixture.CampaignFixture.DEMO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.model.KernelInfo;
import dev.kcovexplorer.app.model.PathMapper;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.session.SessionFile;
import dev.kcovexplorer.app.model.source.KernelSources;
import dev.kcovexplorer.app.model.source.Sha256;
import dev.kcovexplorer.symbolizer.index.CacheDirectory;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import dev.kcovexplorer.testing.Patience;
import dev.kcovexplorer.testing.Requirements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session whose build folder is on this machine but holds none of the sources (a cleaned build tree) gets its
 * files from the Debian package it names, the installed {@code /usr/src/linux-source-6.1.tar.xz}, instead of "not
 * under DIR" for every file. The expected text is the one the demo kernel's build recorded the SHA-256 of.
 */
class BuildTreeFallbackTest {
    private static final String HUB = "drivers/usb/core/hub.c";

    @TempDir
    Path dir;

    @Test
    void aBuildFolderWithoutTheSourcesFallsBackToThePackage() throws Exception {
        KernelInfo demo = SessionFile.read(DEMO).kernel();
        String installed = installedVersion(demo.sourcePackage());
        Requirements.require(Files.isRegularFile(Path.of("/usr/src", demo.sourcePackage() + ".tar.xz"))
                && demo.sourceVersion().equals(installed), "the demo's sources are not installed: apt-get install "
                + demo.sourcePackage() + "=" + demo.sourceVersion());
        Path build = Files.createDirectories(dir.resolve("build"));
        String hubHash = demo.sourceHashes().get(HUB);
        Session session = Session.create(oneLineOf(build), PathMapper.forCompDir(build.toString()),
                new KernelInfo(demo.release(), null, demo.sourcePackage(), demo.sourceVersion(), Map.of(HUB, hubHash)),
                null);
        String cache = System.getProperty(CacheDirectory.PROPERTY);
        System.setProperty(CacheDirectory.PROPERTY, dir.resolve("cache").toString());
        try {
            KernelSources sources = SessionLoading.sourcesFor(session, null);
            sources.prepare(p -> { }, () -> false);

            String text = sources.text(HUB, () -> false).orElseThrow(() -> new AssertionError(sources.banner(HUB)));
            assertThat(Sha256.of(text.getBytes(StandardCharsets.UTF_8))).as("the file the kernel was built from")
                    .isEqualTo(hubHash);
            assertThat(sources.banner(HUB)).isEqualTo(HUB + " is not under " + build
                    + ": shown from the Debian package " + demo.sourcePackage() + " " + demo.sourceVersion() + ".");
        } finally {
            if (cache == null) {
                System.clearProperty(CacheDirectory.PROPERTY); // run outside Maven, which sets it
            } else {
                System.setProperty(CacheDirectory.PROPERTY, cache);
            }
        }
    }

    /** An index of one coverage point in hub.c, built in the folder {@code compDir}. */
    private static KernelIndex oneLineOf(Path compDir) {
        return new KernelIndex(null, "x86_64", compDir.toString(), new long[] {0xffffffff81000000L}, new byte[1],
                new int[] {0, 1}, new int[] {0}, new int[] {1}, new int[] {5800}, new String[] {"hub_event", HUB},
                new long[0], new int[] {0}, new int[0]);
    }

    private static String installedVersion(String name) throws Exception {
        Requirements.tools("dpkg-query");
        Process query = new ProcessBuilder("dpkg-query", "-W", "-f=${Version}", name)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String version = new String(query.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(query.waitFor(Patience.SECONDS, TimeUnit.SECONDS)).isTrue();
        return version;
    }
}
