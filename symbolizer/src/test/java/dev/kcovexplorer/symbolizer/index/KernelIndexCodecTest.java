package dev.kcovexplorer.symbolizer.index;

import dev.kcovexplorer.symbolizer.NativeTools;
import dev.kcovexplorer.symbolizer.external.ExternalBackend;
import dev.kcovexplorer.symbolizer.points.CoverageHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KernelIndexCodecTest {
    @TempDir
    Path dir;

    @Test
    void aRealIndexSurvivesTheRoundTrip() throws Exception {
        NativeTools.assume("llvm-symbolizer");
        Path program = CoverageHarness.build(dir, "gcc", "codec-O2", List.of("-O2", "-g", "-fsanitize-coverage=trace-pc"));
        KernelIndex index = new KernelIndexBuilder(elf -> ExternalBackend.LLVM.open(elf.path()))
                .build(program, BuildMonitor.SILENT);
        assertThat(index.frameCount()).isPositive();
        assertSame(roundTrip(index), index);
    }

    @Test
    void nullsEmptyArraysAndNonAsciiStringsSurvive() {
        KernelIndex index = new KernelIndex(null, "aarch64", null, new long[] {0x1000, 0x1010}, new byte[] {0, 1},
                new int[] {0, 2, 2}, new int[] {0, 1}, new int[] {2, 2}, new int[] {7, 0}, new int[] {3, 0},
                new int[] {KernelIndex.NO_LINKAGE, 0}, new String[] {"f", "ünïcode_fn", "/src/ä.c"}, new long[] {0x2005}, new int[] {0, 1}, new int[] {1});
        KernelIndex back = roundTrip(index);
        assertThat(back.buildId()).isNull();
        assertThat(back.compDir()).isNull();
        assertSame(back, index);
        assertThat(back.frameLinkage(1)).isEqualTo("f");
        assertThat(back.frame(0).linkage()).isNull();
    }

    @Test
    void remoteSitesSurviveAndAnIndexWithoutThemStaysVersionTwo() {
        RemoteSites sites = new RemoteSites(new long[] {0x20, 0x40}, new byte[] {0, 1}, List.of(
                List.of(new dev.kcovexplorer.symbolizer.Frame("kcov_remote_start_usb", null, "/src/kcov.h", 24, 2),
                        new dev.kcovexplorer.symbolizer.Frame("hub_event", null, "/src/hub.c", 5845, 2)),
                List.of(new dev.kcovexplorer.symbolizer.Frame("hub_event", null, "/src/hub.c", 5954, 2))));
        KernelIndex back = roundTrip(tiny().withRemoteSites(sites));
        assertThat(bytesOf(tiny().withRemoteSites(sites))[8]).isEqualTo((byte) KernelIndexCodec.VERSION_WITHOUT_COMPARISONS);
        assertThat(back.remoteSites().count()).isEqualTo(2);
        assertThat(back.remoteSites().isStart(0)).isTrue();
        assertThat(back.remoteSites().isStart(1)).isFalse();
        assertThat(back.remoteSites().address(1)).isEqualTo(0x40);
        assertThat(back.remoteSites().chain(0)).isEqualTo(sites.chain(0));
        assertThat(back.remoteSites().chain(1)).isEqualTo(sites.chain(1));
        assertThat(bytesOf(tiny())[8]).isEqualTo((byte) KernelIndexCodec.VERSION_WITHOUT_REMOTE_SITES);
        assertThat(roundTrip(tiny()).hasRemoteSites()).isFalse();
    }

    @Test
    void readLeavesTheBufferAfterTheIndex() throws Exception {
        KernelIndex index = tiny();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        KernelIndexCodec.write(index, out);
        int length = out.size();
        out.write(new byte[] {42});
        ByteBuffer b = ByteBuffer.wrap(out.toByteArray());
        KernelIndexCodec.read(b);
        assertThat(b.position()).isEqualTo(length);
        assertThat(b.get()).isEqualTo((byte) 42);
    }

    @Test
    void damageIsReportedNotReturned() {
        byte[] bytes = bytesOf(tiny());
        byte[] flipped = bytes.clone();
        flipped[bytes.length - 3] ^= 0x10;
        assertThatThrownBy(() -> KernelIndexCodec.read(ByteBuffer.wrap(flipped)))
                .isInstanceOf(IndexFormatException.class).hasMessageContaining("checksum");
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 8);
        assertThatThrownBy(() -> KernelIndexCodec.read(ByteBuffer.wrap(truncated)))
                .isInstanceOf(IndexFormatException.class).hasMessageContaining("truncated");
        byte[] notAnIndex = "this is not an index, just text".getBytes();
        assertThatThrownBy(() -> KernelIndexCodec.read(ByteBuffer.wrap(notAnIndex)))
                .isInstanceOf(IndexFormatException.class).hasMessageContaining("magic");
        byte[] future = bytes.clone();
        future[8] = 99;
        assertThatThrownBy(() -> KernelIndexCodec.read(ByteBuffer.wrap(future)))
                .isInstanceOf(IndexFormatException.class).hasMessageContaining("version 99");
    }

    private static KernelIndex tiny() {
        return new KernelIndex("abcd", "x86_64", "/src", new long[] {0x10}, new byte[] {0}, new int[] {0, 1},
                new int[] {0}, new int[] {1}, new int[] {3}, new String[] {"main", "/src/main.c"},
                new long[0], new int[] {0}, new int[0]);
    }

    private static byte[] bytesOf(KernelIndex index) {
        ByteBuffer b = KernelIndexCodec.encode(index);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static KernelIndex roundTrip(KernelIndex index) {
        return KernelIndexCodec.read(ByteBuffer.wrap(bytesOf(index)));
    }

    static void assertSame(KernelIndex actual, KernelIndex expected) {
        assertThat(actual.buildId()).isEqualTo(expected.buildId());
        assertThat(actual.arch()).isEqualTo(expected.arch());
        assertThat(actual.compDir()).isEqualTo(expected.compDir());
        assertThat(actual.rawPoints()).isEqualTo(expected.rawPoints());
        assertThat(actual.rawPointKinds()).isEqualTo(expected.rawPointKinds());
        assertThat(actual.rawChainStart()).isEqualTo(expected.rawChainStart());
        assertThat(actual.rawFrameFunction()).isEqualTo(expected.rawFrameFunction());
        assertThat(actual.rawFrameFile()).isEqualTo(expected.rawFrameFile());
        assertThat(actual.rawFrameLine()).isEqualTo(expected.rawFrameLine());
        assertThat(actual.rawFrameColumn()).isEqualTo(expected.rawFrameColumn());
        assertThat(actual.rawFrameLinkage()).isEqualTo(expected.rawFrameLinkage());
        assertThat(actual.rawStrings()).isEqualTo(expected.rawStrings());
        assertThat(actual.rawTailReturnAddresses()).isEqualTo(expected.rawTailReturnAddresses());
        assertThat(actual.rawTailCandidateStart()).isEqualTo(expected.rawTailCandidateStart());
        assertThat(actual.rawTailCandidates()).isEqualTo(expected.rawTailCandidates());
    }
}
