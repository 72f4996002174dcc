package dev.kcovexplorer.app.model.modules;

import dev.kcovexplorer.app.model.fixture.Tools;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.testing.Requirements;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Compressed modules, made by the real xz, zstd and gzip, come back as the ELF file they hold; broken ones are named. */
class ModuleFilesTest {
    @TempDir
    Path dir;
    Path module;

    @BeforeEach
    void compileAModule() throws Exception {
        Requirements.tools("gcc", "ld");
        Files.writeString(dir.resolve("vhost.c"), "int vhost_poll(int *p) { return *p ? *p + 1 : 0; }\n");
        Tools.check(dir, null, List.of("gcc", "-c", "-O2", "-g", "-o", "vhost.o", "vhost.c"));
        Tools.check(dir, null, List.of("ld", "-r", "--build-id=sha1", "-o", "vhost.ko", "vhost.o"));
        module = dir.resolve("vhost.ko");
    }

    @ParameterizedTest
    @ValueSource(strings = {"xz", "zstd", "gzip"})
    void decompressedOnceIntoTheCache(String tool) throws Exception {
        Requirements.tools(tool);
        Tools.check(dir, null, List.of(tool, "-k", "vhost.ko"));
        Path compressed = dir.resolve("vhost.ko." + (tool.equals("zstd") ? "zst" : tool.equals("gzip") ? "gz" : "xz"));
        ModuleFiles files = new ModuleFiles(dir.resolve("cache"));
        Path elf = files.elf(compressed);
        assertThat(elf).startsWith(dir.resolve("cache"));
        assertThat(elf.getFileName().toString()).startsWith("vhost-").endsWith(".ko");
        assertThat(Files.readAllBytes(elf)).isEqualTo(Files.readAllBytes(module));
        try (ElfFile e = ElfFile.open(elf)) {
            assertThat(e.type()).isEqualTo(ElfFile.ET_REL);
        }
        long modified = Files.getLastModifiedTime(elf).toMillis();
        assertThat(files.elf(compressed)).isEqualTo(elf);
        assertThat(Files.getLastModifiedTime(elf).toMillis()).as("reused, not written again").isEqualTo(modified);
    }

    @Test
    void anUncompressedModuleIsItself() throws IOException {
        assertThat(new ModuleFiles(dir.resolve("cache")).elf(module)).isEqualTo(module);
        assertThat(dir.resolve("cache")).doesNotExist();
    }

    @Test
    void truncatedDataIsNamedAndLeavesNothingBehind() throws Exception {
        Requirements.tools("xz");
        Tools.check(dir, null, List.of("xz", "-k", "vhost.ko"));
        Path compressed = dir.resolve("vhost.ko.xz");
        byte[] bytes = Files.readAllBytes(compressed);
        Files.write(compressed, Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> new ModuleFiles(dir.resolve("cache")).elf(compressed)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(compressed + ": corrupt xz data (");
        try (var left = Files.list(dir.resolve("cache"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void somethingThatIsNoElfFileIsNamed() throws Exception {
        Requirements.tools("gzip");
        Files.writeString(dir.resolve("notes.ko"), "not a module\n");
        Tools.check(dir, null, List.of("gzip", "notes.ko"));
        Path compressed = dir.resolve("notes.ko.gz");
        assertThatThrownBy(() -> new ModuleFiles(dir.resolve("cache")).elf(compressed))
                .hasMessage(compressed + ": decompresses to something that is no ELF file");
    }
}
