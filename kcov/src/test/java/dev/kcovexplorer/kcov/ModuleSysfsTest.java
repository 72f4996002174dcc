package dev.kcovexplorer.kcov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kcovexplorer.testing.Patience;
import dev.kcovexplorer.testing.Requirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module layout read from a directory tree shaped like {@code /sys/module}: loaded modules with
 * {@code sections/*} and {@code notes/.note.gnu.build-id} (the note of a module gcc and ld made here,
 * whose id readelf reports), built-in modules without sections, and the files a kernel that hides its
 * addresses shows.
 */
class ModuleSysfsTest {
    @TempDir
    static Path build;
    static byte[] note;
    static String readelfId;

    @TempDir
    Path root;

    @BeforeAll
    static void buildAModuleWithABuildId() throws Exception {
        Requirements.tools("gcc", "ld", "objcopy", "readelf");
        Files.writeString(build.resolve("vhost_test.c"), "int vhost_test_poll(int n) { return n * 2; }\n");
        run("gcc", "-c", "-O2", "-o", "vhost_test.o", "vhost_test.c");
        run("ld", "-r", "--build-id=sha1", "-o", "vhost_test.ko", "vhost_test.o");
        run("objcopy", "-O", "binary", "--only-section=.note.gnu.build-id", "vhost_test.ko", "note.bin");
        note = Files.readAllBytes(build.resolve("note.bin"));
        Matcher id = Pattern.compile("Build ID: ([0-9a-f]+)").matcher(run("readelf", "-n", "vhost_test.ko"));
        assertThat(id.find()).as("readelf reports the module's build id").isTrue();
        readelfId = id.group(1);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(build.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(Patience.SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
        return output;
    }

    private void section(String module, String section, String text) throws IOException {
        Path dir = Files.createDirectories(root.resolve(module).resolve("sections"));
        Files.writeString(dir.resolve(section), text);
    }

    private void buildIdNote(String module, byte[] bytes) throws IOException {
        Path dir = Files.createDirectories(root.resolve(module).resolve("notes"));
        Files.write(dir.resolve(".note.gnu.build-id"), bytes);
    }

    @Test
    void loadedModulesWithTheirSectionsAndBuildIdsBuiltInOnesLeftOut() throws IOException {
        section("vhost_test", ".text", "0xffffffffc0a10000\n");
        section("vhost_test", ".init.text", "0xffffffffc0a08000\n");
        section("vhost_test", ".data", "0xffffffffc0a14000\n");
        buildIdNote("vhost_test", note);
        section("vhost_net", ".text", "0xffffffffc0a30000\n");
        Files.createDirectories(root.resolve("usbcore").resolve("parameters")); // built in: no sections
        Files.writeString(Files.createDirectories(root.resolve("usbcore").resolve("parameters")).resolve("autosuspend"), "2\n");

        ModuleLayout layout = ModuleSysfs.read(root);

        assertThat(layout.modules()).containsExactly("vhost_net", "vhost_test");
        assertThat(layout.sectionsOf("vhost_test")).containsOnly(Map.entry(".text", 0xffffffffc0a10000L),
                Map.entry(".init.text", 0xffffffffc0a08000L), Map.entry(".data", 0xffffffffc0a14000L));
        assertThat(layout.buildId("vhost_test")).contains(readelfId);
        assertThat(layout.buildId("vhost_net")).as("a module without a build-id note").isEmpty();
        assertThat(layout.contains("usbcore")).isFalse();

        Path file = root.resolveSibling(root.getFileName() + ".layout");
        ModuleLayoutWriter.write(layout, root.toString(), file);
        assertThat(ModuleLayoutReader.read(file)).isEqualTo(layout);
        assertThat(ModuleLayoutReader.read(file).buildId("vhost_test")).contains(readelfId);
    }

    /**
     * What a real boot showed: usbcore's freed .init.text at the address xhci_hcd's .text was loaded to
     * later. A live module's init region is left out; one still in its init keeps it.
     */
    @Test
    void aLiveModulesFreedInitRegionIsLeftOut() throws IOException {
        section("usbcore", ".text", "0xffffffffa0005000\n");
        section("usbcore", ".init.text", "0xffffffffa0064000\n");
        section("usbcore", ".init.data", "0xffffffffa0065000\n");
        section("usbcore", ".symtab", "0xffffffffa0066000\n");
        section("usbcore", ".strtab", "0xffffffffa006a000\n");
        section("usbcore", ".exit.text", "0xffffffffa0030000\n");
        Files.writeString(root.resolve("usbcore/initstate"), "live\n");
        section("xhci_hcd", ".text", "0xffffffffa0064000\n");
        section("xhci_hcd", ".init.text", "0xffffffffa009d000\n");
        Files.writeString(root.resolve("xhci_hcd/initstate"), "coming\n");

        ModuleLayout layout = ModuleSysfs.read(root);

        assertThat(layout.sectionsOf("usbcore")).containsOnlyKeys(".text", ".exit.text");
        assertThat(layout.sectionsOf("xhci_hcd")).containsOnlyKeys(".text", ".init.text");
    }

    @Test
    void aKernelWithoutLoadedModulesHasAnEmptyLayout() throws IOException {
        Files.createDirectories(root.resolve("kernel").resolve("parameters"));
        assertThat(ModuleSysfs.read(root)).isSameAs(ModuleLayout.NONE);
    }

    @Test
    void hiddenAddressesAndForeignContentAreNamedWithTheirFile() throws IOException {
        section("vhost", ".text", "0x0000000000000000\n");
        assertThatThrownBy(() -> ModuleSysfs.read(root)).isInstanceOf(IOException.class)
                .hasMessage(root.resolve("vhost/sections/.text") + " says 0x0: the kernel hides module addresses"
                        + " (kptr_restrict); read the layout as root with kptr_restrict at 0 or 1");
        section("vhost", ".text", "(null)\n");
        assertThatThrownBy(() -> ModuleSysfs.read(root))
                .hasMessage(root.resolve("vhost/sections/.text") + ": expected a hex address such as"
                        + " 0xffffffffc0a10000, got \"(null)\"");
    }

    @Test
    void noSysfsIsNamed() {
        Path missing = root.resolve("no-sysfs");
        assertThatThrownBy(() -> ModuleSysfs.read(missing)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(missing + " (no sysfs module directory");
    }
}
