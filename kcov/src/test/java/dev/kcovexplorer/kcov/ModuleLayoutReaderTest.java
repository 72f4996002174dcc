package dev.kcovexplorer.kcov;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The module layout text: /sys/module/NAME/sections reshaped, or a /proc/modules copy with its warning. */
class ModuleLayoutReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void sectionsPerModuleWithCommentsAndEitherSpellingOfNames() throws IOException {
        Path file = write("layout.txt", """
                # for f in /sys/module/*/sections/*; do ...; done
                usbcore .text 0xffffffffa0012000
                usbcore .init.text 0xffffffffa0090000   # freed after init, still listed
                usbcore .text.unlikely ffffffffa0011000

                snd-hda-intel .text 0xffffffffa0200000
                """);
        ModuleLayout layout = ModuleLayoutReader.read(file);
        assertThat(layout.modules()).containsExactly("usbcore", "snd_hda_intel");
        assertThat(layout.sectionsOf("usbcore")).containsExactly(Map.entry(".text", 0xffffffffa0012000L),
                Map.entry(".init.text", 0xffffffffa0090000L), Map.entry(".text.unlikely", 0xffffffffa0011000L));
        assertThat(layout.sectionsOf("snd_hda_intel")).containsEntry(".text", 0xffffffffa0200000L);
        assertThat(layout.contains("snd-hda-intel")).isTrue();
        assertThat(layout.sectionsOf("vhost")).isEmpty();
        assertThat(layout.warnings()).isEmpty();
    }

    @Test
    void procModulesPlacesTextAndSaysThatIsAll() throws IOException {
        Path file = write("modules", """
                vhost_net 36864 0 - Live 0xffffffffc0a50000
                vhost 57344 1 vhost_net, Live 0xffffffffc0a3e000
                usb_storage 81920 1 uas, Live 0xffffffffc09f0000 (E)
                """);
        ModuleLayout layout = ModuleLayoutReader.read(file);
        assertThat(layout.modules()).containsExactly("vhost_net", "vhost", "usb_storage");
        assertThat(layout.sectionsOf("vhost")).containsExactly(Map.entry(".text", 0xffffffffc0a3e000L));
        assertThat(layout.warnings()).singleElement().asString()
                .contains(file.toString()).contains("/proc/modules").contains("only").contains(".text");
    }

    @Test
    void aKaslrOffsetLineIsSubtractedFromEverySectionAndWrittenBack() throws IOException {
        Path file = write("kaslr.layout", """
                usbcore .text 0xffffffffdc412000
                kaslr-offset 0x1c000000
                usbcore .init.text 0xffffffffdc43e000
                """);
        ModuleLayout layout = ModuleLayoutReader.read(file);
        assertThat(layout.kaslrOffset()).isEqualTo(0x1c000000L);
        assertThat(layout.sectionsOf("usbcore")).containsExactly(Map.entry(".text", 0xffffffffc0412000L),
                Map.entry(".init.text", 0xffffffffc043e000L));
        assertThat(layout.reportedSectionsOf("usbcore")).containsEntry(".text", 0xffffffffdc412000L);

        Path again = write("again.layout", ModuleLayoutWriter.text(layout, "a test"));
        assertThat(ModuleLayoutReader.read(again)).isEqualTo(layout);
        assertThat(ModuleLayoutReader.read(write("none.layout", "usbcore .text 0xffffffffdc412000\n")).kaslrOffset())
                .isZero();
    }

    /**
     * Lines of a layout the agent wrote before it left freed init regions out, on the modular demo kernel:
     * usbcore's .init.text is where xhci_hcd's .text was loaded later, vhost_iotlb's .symtab where vhost's was.
     */
    @Test
    void initRegionsAnotherModuleWasLoadedIntoAreLeftOutAndSaid() throws IOException {
        Path file = write("old.layout", """
                usbcore .text 0xffffffffa0005000
                usbcore .exit.text 0xffffffffa0037a1c
                usbcore .init.text 0xffffffffa0064000
                usbcore .init.data 0xffffffffa0065000
                usbcore .symtab 0xffffffffa0066000
                xhci_hcd .text 0xffffffffa0064000
                xhci_hcd .init.text 0xffffffffa009d000
                vhost_iotlb .text 0xffffffffa011a000
                vhost_iotlb .symtab 0xffffffffa011f000
                vhost_iotlb .strtab 0xffffffffa011f8d0
                vhost .text 0xffffffffa011f000
                vhost .init.text 0xffffffffa012e000
                """);
        ModuleLayout layout = ModuleLayoutReader.read(file);
        assertThat(layout.sectionsOf("usbcore")).containsOnlyKeys(".text", ".exit.text");
        assertThat(layout.sectionsOf("vhost_iotlb")).containsOnlyKeys(".text");
        assertThat(layout.sectionsOf("xhci_hcd")).as("nothing was loaded into its init region")
                .containsOnlyKeys(".text", ".init.text");
        assertThat(layout.sectionsOf("vhost")).containsOnlyKeys(".text", ".init.text");
        assertThat(layout.warnings()).containsExactly(
                "usbcore: its init sections (.init.*, .symtab, .strtab from 0xffffffffa0064000) were freed and reused"
                        + " (xhci_hcd .text at 0xffffffffa0064000): left out",
                "vhost_iotlb: its init sections (.init.*, .symtab, .strtab from 0xffffffffa011f000) were freed and reused"
                        + " (vhost .text at 0xffffffffa011f000): left out");
    }

    @Test
    void aBadOrSecondKaslrOffsetIsNamedWithFileAndLine() throws IOException {
        Path bad = write("bad-offset.layout", "usbcore .text 0xffffffffdc412000\nkaslr-offset 1c00000z\n");
        assertThatThrownBy(() -> ModuleLayoutReader.read(bad)).isInstanceOf(DumpFormatException.class)
                .hasMessage(bad + ": line 2: \"1c00000z\" is no KASLR offset (expected hex such as 0x1c000000)");
        Path two = write("two.layout", "kaslr-offset 0x1c000000\nusbcore .text 0xffffffffdc412000\nkaslr-offset 0x0\n");
        assertThatThrownBy(() -> ModuleLayoutReader.read(two)).isInstanceOf(DumpFormatException.class)
                .hasMessage(two + ": line 3: a second KASLR offset, 0x0 (line 1 says 0x1c000000): a layout holds one boot");
    }

    @Test
    void aLineOfAnotherShapeIsNamedWithFileAndLine() throws IOException {
        Path file = write("bad.txt", "usbcore .text 0xffffffffa0012000\nusbcore .text\n");
        assertThatThrownBy(() -> ModuleLayoutReader.read(file)).isInstanceOf(DumpFormatException.class)
                .hasMessage(file + ": line 2: expected MODULE SECTION ADDRESS (e.g. usbcore .text 0xffffffffa0012000),"
                        + " MODULE build-id HEX, kaslr-offset HEX or a /proc/modules line, got \"usbcore .text\"");
    }

    @Test
    void badAddressesAndNamesAreNamed() throws IOException {
        Path notHex = write("hex.txt", "usbcore .text 0xffffffffg0012000\n");
        assertThatThrownBy(() -> ModuleLayoutReader.read(notHex)).hasMessageContaining(notHex + ": line 1: ")
                .hasMessageContaining("\"0xffffffffg0012000\" is no address");
        Path tooLong = write("long.txt", "usbcore .text 0x1ffffffffa0012000\n");
        assertThatThrownBy(() -> ModuleLayoutReader.read(tooLong)).hasMessageContaining("is no address");
        Path name = write("name.txt", "usb/core .text 0xffffffffa0012000\n");
        assertThatThrownBy(() -> ModuleLayoutReader.read(name)).hasMessageContaining("line 1: \"usb/core\" is no module name");
    }

    @Test
    void zeroAddressesMeanTheReaderWasNotRoot() throws IOException {
        Path file = write("modules", "vhost 57344 1 vhost_net, Live 0x0000000000000000\n");
        assertThatThrownBy(() -> ModuleLayoutReader.read(file)).isInstanceOf(DumpFormatException.class)
                .hasMessageContaining(file + ": line 1: vhost .text is at address 0")
                .hasMessageContaining("kptr_restrict");
    }

    @Test
    void oneBootPerLayout() throws IOException {
        Path file = write("two-boots.txt", """
                vhost .text 0xffffffffc0a3e000
                vhost .text 0xffffffffc0a3e000
                vhost .text 0xffffffffc0b00000
                """);
        assertThatThrownBy(() -> ModuleLayoutReader.read(file))
                .hasMessageContaining(file + ": line 3: vhost .text is placed again, at 0xffffffffc0b00000 (line 1 put it"
                        + " at 0xffffffffc0a3e000)");
        Path mixed = write("mixed.txt", "vhost .text 0xffffffffc0a3e000\nusbcore 303104 4 - Live 0xffffffffc0a00000\n");
        assertThatThrownBy(() -> ModuleLayoutReader.read(mixed)).hasMessageContaining("line 2: mixes /proc/modules lines");
    }

    @Test
    void aLayoutWithoutModulesIsAnError() throws IOException {
        Path file = write("empty.txt", "# nothing loaded\n\n");
        assertThatThrownBy(() -> ModuleLayoutReader.read(file)).isInstanceOf(DumpFormatException.class)
                .hasMessageContaining(file + ": no module in the layout");
    }

    @Test
    void buildIdLinesNameEachModulesBuildAndOldLayoutsHaveNone() throws IOException {
        Path file = write("with-ids.txt", """
                usbcore build-id 5F0C2D8E61B3A4E07F0A9C1D2B3E4F5A6B7C8D9E
                usbcore .text 0xffffffffa0012000
                vhost .text 0xffffffffc0a3e000
                snd-hda-intel build-id 00112233445566778899aabbccddeeff
                snd_hda_intel .text 0xffffffffa0200000
                """);
        ModuleLayout layout = ModuleLayoutReader.read(file);
        assertThat(layout.buildId("usbcore")).contains("5f0c2d8e61b3a4e07f0a9c1d2b3e4f5a6b7c8d9e");
        assertThat(layout.buildId("snd_hda_intel")).contains("00112233445566778899aabbccddeeff");
        assertThat(layout.buildId("vhost")).isEmpty();
        assertThat(layout.sectionsOf("usbcore")).containsExactly(Map.entry(".text", 0xffffffffa0012000L));

        Path old = write("old.txt", "usbcore .text 0xffffffffa0012000\n");
        assertThat(ModuleLayoutReader.read(old).buildId("usbcore")).isEmpty();
    }

    @Test
    void badBuildIdLinesAreNamed() throws IOException {
        Path odd = write("odd.txt", "usbcore build-id 5f0c2\nusbcore .text 0xffffffffa0012000\n");
        assertThatThrownBy(() -> ModuleLayoutReader.read(odd)).isInstanceOf(DumpFormatException.class)
                .hasMessage(odd + ": line 1: \"5f0c2\" is no build id (expected an even number of hex digits, as"
                        + " readelf -n prints it)");
        Path twice = write("twice.txt", "usbcore build-id aabb\nusbcore build-id aabb\nusbcore build-id ccdd\n"
                + "usbcore .text 0xffffffffa0012000\n");
        assertThatThrownBy(() -> ModuleLayoutReader.read(twice))
                .hasMessage(twice + ": line 3: usbcore has a second build id, ccdd (line 1 says aabb): a layout holds one boot");
        Path alone = write("alone.txt", "usbcore .text 0xffffffffa0012000\nvhost build-id aabb\n");
        assertThatThrownBy(() -> ModuleLayoutReader.read(alone))
                .hasMessage(alone + ": line 2: module vhost has a build id but no section in the layout");
    }

    @Test
    void whatTheWriterWritesReadsBackEqual() throws IOException {
        Path file = write("in.txt", """
                usbcore build-id 5f0c2d8e61b3a4e07f0a9c1d2b3e4f5a6b7c8d9e
                usbcore .text 0xffffffffa0012000
                usbcore .init.text 0xffffffffa0090000
                vhost .text 0xffffffffc0a3e000
                """);
        ModuleLayout layout = ModuleLayoutReader.read(file);
        Path copy = dir.resolve("out.layout");
        ModuleLayoutWriter.write(layout, "a test", copy);
        ModuleLayout again = ModuleLayoutReader.read(copy);
        assertThat(again).isEqualTo(layout);
        assertThat(again.buildId("usbcore")).isEqualTo(layout.buildId("usbcore"));
        assertThat(Files.readString(copy)).contains("# from a test\n")
                .contains("usbcore .init.text 0xffffffffa0090000\n");
        assertThat(ModuleLayoutWriter.besideDump(dir.resolve("usb.kcov"))).isEqualTo(dir.resolve("usb.kcov.layout"));
    }
}
