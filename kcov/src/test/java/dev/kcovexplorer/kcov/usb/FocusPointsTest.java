package dev.kcovexplorer.kcov.usb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The focus of a guided campaign: which return addresses follow a call at one of its points. */
class FocusPointsTest {
    @TempDir
    Path dir;

    /**
     * Call sites of five-byte calls (x86-64) at distinct offsets from a kernel text base: the return address of each
     * is in the focus, and no address that is not five (or four) bytes after a listed site is.
     */
    @Property(tries = 300)
    void aReturnAddressIsInTheFocusExactlyWhenItsCallIs(
            @ForAll @Size(min = 1, max = 50) List<@IntRange(min = 0, max = 100_000) Integer> offsets,
            @ForAll @IntRange(min = 0, max = 100_010) int probe) {
        long base = 0xffffffff81000000L;
        long[] sites = offsets.stream().mapToLong(o -> base + 5L * o).toArray();
        FocusPoints focus = FocusPoints.of(sites);
        for (long site : sites) {
            assertThat(focus.contains(site + 5)).isTrue();
        }
        long pc = base + probe;
        boolean expected = false;
        for (long site : sites) {
            expected |= pc == site + 5 || pc == site + 4;
        }
        assertThat(focus.contains(pc)).isEqualTo(expected);
    }

    @Test
    void aFileListsOneAddressALineWithCommentsAndBlanks() throws Exception {
        Path file = Files.writeString(dir.resolve("points"), "# hub.c\n0xffffffff81a00010\n\n  0xffffffff81a00030\n"
                + "0xffffffff81a00010\n");
        FocusPoints focus = FocusPoints.read(file);
        assertThat(focus.size()).isEqualTo(2);
        assertThat(focus.contains(0xffffffff81a00035L)).isTrue();
        assertThat(focus.contains(0xffffffff81a00025L)).isFalse();
    }

    @Test
    void aBadLineOrAnEmptyFocusIsNamed() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad"), "0xffffffff81a00010\n0xnothex\n");
        assertThatThrownBy(() -> FocusPoints.read(bad)).hasMessage(bad + ":2: expected a 0x-hex address, found '0xnothex'");
        Path empty = Files.writeString(dir.resolve("empty"), "# nothing\n");
        assertThatThrownBy(() -> FocusPoints.read(empty)).hasMessageContaining(empty + ": no coverage points");
    }

    /** A missing file, or one that is not text, is named with what was expected, not by the JDK's bare exception. */
    @Test
    void aMissingFileOrBinaryBytesAreNamed() throws Exception {
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> FocusPoints.read(missing)).hasMessageContaining(missing + ": no such focus file");
        Path binary = Files.write(dir.resolve("binary"), new byte[] {'0', 'x', '1', '0', '\n', (byte) 0xff, (byte) 0xfe,
                '\n'});
        assertThatThrownBy(() -> FocusPoints.read(binary)).hasMessageContaining(binary + ":2: expected a 0x-hex address");
    }
}
