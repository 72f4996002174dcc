package dev.kcovexplorer.kcov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kcovexplorer.testing.Patience;
import dev.kcovexplorer.testing.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The KASLR offset read the way the agent reads it: the VMCOREINFO note of an ELF file's note segments
 * (here a program gcc links with the note the kernel writes, {@code KERNELOFFSET=%lx} among its lines),
 * else {@code _text} of a kallsyms listing, else an error naming both files.
 */
class KaslrOffsetTest {
    @TempDir
    Path dir;

    @Test
    void theVmcoreinfoNoteOfAnElfFilesNoteSegmentsGivesTheOffset() throws Exception {
        Requirements.tools("gcc", "readelf");
        Path source = dir.resolve("note.c");
        Files.writeString(source, """
                struct note { unsigned int namesz, descsz, type; char name[12]; char desc[64]; };
                __attribute__((used, section(".note.vmcoreinfo"), aligned(4)))
                static const struct note vmcoreinfo = {11, 64, 0, "VMCOREINFO",
                    "OSRELEASE=6.1.0\\nPAGESIZE=4096\\nKERNELOFFSET=2a400000\\nNUMBER(phys_base)=0\\n"};
                int main(void) { return 0; }
                """);
        Path elf = dir.resolve("note");
        run("gcc", "-o", elf.toString(), source.toString());
        assertThat(run("readelf", "-n", elf.toString())).as("readelf sees the note").contains("VMCOREINFO");

        assertThat(KaslrOffset.fromKcore(elf)).hasValue(0x2a400000L);
        assertThat(KaslrOffset.read(elf, dir.resolve("no-kallsyms"))).isEqualTo(0x2a400000L);
    }

    @Test
    void withoutKcoreTheTextSymbolOfKallsymsGivesIt() throws Exception {
        Path kallsyms = Files.writeString(dir.resolve("kallsyms"),
                "ffffffff9d000000 T startup_64\nffffffff9d000000 T _text\nffffffff9d001000 T _stext\n");
        assertThat(KaslrOffset.read(dir.resolve("no-kcore"), kallsyms)).isEqualTo(0x1c000000L);
        Path nokaslr = Files.writeString(dir.resolve("nokaslr"), "ffffffff81000000 T _text\n");
        assertThat(KaslrOffset.read(dir.resolve("no-kcore"), nokaslr)).isZero();
    }

    @Test
    void hiddenAddressesOrNoFilesAreAnErrorNamingBoth() throws Exception {
        Path hidden = Files.writeString(dir.resolve("kallsyms"), "0000000000000000 T _text\n");
        Path kcore = dir.resolve("kcore");
        assertThatThrownBy(() -> KaslrOffset.read(kcore, hidden)).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot tell the kernel's KASLR offset").hasMessageContaining("cannot read " + kcore)
                .hasMessageContaining(hidden + " hides addresses (kptr_restrict)");
        Path notElf = Files.writeString(dir.resolve("not-elf"), "plain text, longer than an ELF header is: "
                + "x".repeat(64));
        assertThatThrownBy(() -> KaslrOffset.read(notElf, dir.resolve("none"))).isInstanceOf(IOException.class)
                .hasMessageContaining(notElf + " (not a 64-bit little-endian ELF core file)")
                .hasMessageContaining("cannot read " + dir.resolve("none"));
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(Patience.SECONDS, TimeUnit.SECONDS) && process.exitValue() == 0)
                .as(String.join(" ", command) + ": " + output).isTrue();
        return output;
    }
}
