package dev.kcovexplorer.kcov;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.testing.Patience;
import dev.kcovexplorer.testing.Requirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build id read from raw ELF notes (the form {@code /sys/kernel/notes} has) against what
 * {@code readelf -n} reports for a program gcc links with a build id.
 */
class GnuBuildIdNoteTest {
    @TempDir
    Path dir;

    @Test
    void buildIdMatchesReadelf() throws Exception {
        Requirements.tools("gcc");
        Path source = dir.resolve("main.c");
        Files.writeString(source, "int main(void) { return 0; }\n");
        Path program = dir.resolve("main");
        assertThat(run(List.of("gcc", "-Wl,--build-id=sha1", "-o", program.toString(), source.toString()))).isNotNull();
        Path notes = dir.resolve("notes.bin");
        assertThat(run(List.of("objcopy", "-O", "binary", "--only-section=.note.gnu.build-id", program.toString(),
                notes.toString()))).isNotNull();
        Matcher readelf = Pattern.compile("Build ID: ([0-9a-f]+)").matcher(run(List.of("readelf", "-n", program.toString())));
        assertThat(readelf.find()).as("readelf reports a build id").isTrue();

        assertThat(GnuBuildIdNote.gnuBuildId(Files.readAllBytes(notes))).contains(readelf.group(1));
    }

    @Test
    void notesWithoutABuildIdOrCutShortGiveNone() {
        byte[] linuxNote = {4, 0, 0, 0, 4, 0, 0, 0, 1, 1, 0, 0, 'L', 'i', 'n', 'u', 0, 0, 0, 0};
        assertThat(GnuBuildIdNote.gnuBuildId(linuxNote)).isEmpty();
        byte[] truncated = {4, 0, 0, 0, 20, 0, 0, 0, 3, 0, 0, 0, 'G', 'N', 'U', 0, 1, 2};
        assertThat(GnuBuildIdNote.gnuBuildId(truncated)).isEmpty();
    }

    /** Output of a tool, or null when it is missing or fails. */
    private static String run(List<String> command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.waitFor(Patience.SECONDS, TimeUnit.SECONDS) && process.exitValue() == 0 ? output : null;
        } catch (IOException e) {
            return null;
        }
    }
}
