package dev.kcovexplorer.symbolizer.index;

import dev.kcovexplorer.symbolizer.ModuleFixture;
import dev.kcovexplorer.symbolizer.NativeTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A module's index is cached per build id and layout: another boot's layout gets a file of its own. */
class PlacedIndexCacheTest {
    @TempDir
    Path dir;

    @Test
    void oneFilePerBuildIdAndLayout() throws Exception {
        for (String tool : List.of("gcc", "ld", "readelf")) {
            NativeTools.assume(tool);
        }
        ModuleFixture fixture = ModuleFixture.build(dir.resolve("fixture"), List.of("-gdwarf-4"));
        KernelIndexCache cache = new KernelIndexCache(dir.resolve("cache"), new KernelIndexBuilder());
        Map<String, Long> boot1 = fixture.layout(0xffffffffc0010000L);
        Map<String, Long> boot2 = fixture.layout(0xffffffffc0870000L);

        KernelIndexCache.Result first = cache.openPlaced(fixture.object(), boot1, BuildMonitor.SILENT);
        assertThat(first.status()).isEqualTo(KernelIndexCache.Status.BUILT);
        assertThat(first.file().getFileName().toString()).startsWith(first.index().buildId() + "-at-");
        KernelIndexCache.Result again = cache.openPlaced(fixture.object(), boot1, BuildMonitor.SILENT);
        assertThat(again.status()).isEqualTo(KernelIndexCache.Status.REUSED);
        KernelIndexCodecTest.assertSame(again.index(), first.index());

        KernelIndexCache.Result other = cache.openPlaced(fixture.object(), boot2, BuildMonitor.SILENT);
        assertThat(other.status()).isEqualTo(KernelIndexCache.Status.BUILT);
        assertThat(other.file()).isNotEqualTo(first.file());
        assertThat(other.index().pointCount()).isEqualTo(first.index().pointCount());
        long shift = 0xffffffffc0870000L - 0xffffffffc0010000L;
        for (int p = 0; p < first.index().pointCount(); p++) {
            assertThat(other.index().pointAddress(p)).isEqualTo(first.index().pointAddress(p) + shift);
            assertThat(other.index().frames(p)).isEqualTo(first.index().frames(p));
        }
    }
}
