package dev.kcovexplorer.app.model.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.testing.Patience;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start cleans the folders killed downloads left in the package directory ({@link PackageDownloader#cleanStale},
 * at every source lookup), and must leave alone the one another window is downloading into: removed under it, that
 * window's apt-get lost its .deb and the window said "No kernel sources" while the other got them.
 */
class StaleDownloadsTest {
    @TempDir
    Path debs;

    @Test
    void aRunningProcessesDownloadIsKeptAndAGoneProcessesIsRemoved() throws Exception {
        Process running = new ProcessBuilder("sleep", "600").start();
        Process gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(Patience.SECONDS, TimeUnit.SECONDS)).isTrue();
        try {
            Path live = Files.createTempDirectory(debs, ".download-" + running.pid() + "-");
            Path partial = Files.writeString(live.resolve("linux-source-6.1_6.1.192-3_all.deb.part"), "half a deb");
            Path killed = Files.createTempDirectory(debs, ".download-" + gone.pid() + "-");
            Files.writeString(killed.resolve("linux-source-6.1_6.1.192-3_all.deb"), "half a deb");
            // What earlier versions named their folders, without the pid.
            Path older = Files.createTempDirectory(debs, ".download-");
            Path fetched = Files.writeString(debs.resolve("linux-source-6.1_6.1.192-3.tar.xz"), "a whole tarball");

            PackageDownloader.cleanStale(debs);

            assertThat(partial).as("another window's download under way").hasContent("half a deb");
            assertThat(killed).as("a killed download's folder").doesNotExist();
            assertThat(older).doesNotExist();
            assertThat(fetched).exists();
        } finally {
            running.destroyForcibly().waitFor();
        }
    }
}
