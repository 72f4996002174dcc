package dev.kcovexplorer.symbolizer.points;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kcovexplorer.symbolizer.NativeTools;
import dev.kcovexplorer.testing.Patience;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oracles leave nothing beside the binary they read, even for a moment: its directory may be a kernel's cache, and a
 * test killed while objdump or nm runs would leave their output there (a kernel's listing is hundreds of MB).
 */
class CoverageHarnessTest {
    @TempDir
    Path dir;

    @Test
    void objdumpAndNmWriteNothingBesideTheBinary() throws Exception {
        Path program = CoverageHarness.build(dir, "gcc", "program", List.of("-O2", "-fsanitize-coverage=trace-pc"));
        Path kernelDirectory = Files.createDirectory(dir.resolve("kernel"));
        Path binary = Files.copy(program, kernelDirectory.resolve("vmlinux"));

        assertThat(createdIn(kernelDirectory, () -> CoverageHarness.objdumpBranches(binary))).as("objdump").isEmpty();
        assertThat(createdIn(kernelDirectory, () -> CoverageHarness.inFunctionSymbols(binary))).as("nm").isEmpty();
    }

    @Test
    void aFailingObjdumpSaysWhyInsteadOfReadingAsNoBranches() throws Exception {
        NativeTools.assume("objdump");
        Path notAnElf = Files.writeString(dir.resolve("not-an-elf"), "text\n");

        assertThatThrownBy(() -> CoverageHarness.objdumpBranches(notAnElf))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("objdump failed on " + notAnElf)
                .hasMessageContaining("file format not recognized");
    }

    /** The names of the files created in {@code directory} while {@code work} ran, deleted since or not. */
    private static List<String> createdIn(Path directory, Callable<?> work) throws Exception {
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            directory.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            work.call();
            // The directory's events arrive in order: once this marker's is in, every event of the work's is.
            Path marker = Files.createFile(directory.resolve("marker"));
            List<String> created = new ArrayList<>();
            while (!created.contains(marker.getFileName().toString())) {
                WatchKey key = watch.poll(Patience.SECONDS, TimeUnit.SECONDS);
                if (key == null) {
                    throw new AssertionError("the marker's creation in " + directory + " not seen within "
                            + Patience.SECONDS + " s; seen: " + created);
                }
                for (WatchEvent<?> event : key.pollEvents()) {
                    created.add(String.valueOf(event.context()));
                }
                key.reset();
            }
            Files.delete(marker);
            created.remove(marker.getFileName().toString());
            return created;
        }
    }
}
