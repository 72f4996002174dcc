package dev.kcovexplorer.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kcovexplorer.app.model.fixture.Tools;
import dev.kcovexplorer.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code symbolize --modules DIR --layout FILE} on a gcc-built kernel-shaped vmlinux and a module
 * installed as {@code .ko.xz}: module addresses name the module and get llvm-symbolizer's chains on
 * the same module linked by ld at the layout's addresses; kernel addresses stay as they were; and
 * module addresses without a layout are an error, not empty answers.
 */
class SymbolizeModulesCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INSTRUCTION = Pattern.compile("^\\s*([0-9a-f]+):\\t");
    private static final long TEXT = 0xffffffffc0a10000L;
    private static final long INIT_TEXT = 0xffffffffc0a08000L;
    private static final long CALLBACK = 0xffffffff81000000L;
    private static final String KERNEL = """
            void __sanitizer_cov_trace_pc(void) { }
            int kernel_work(int x) { return x * 3; }
            """;
    private static final String MODULE = """
            static int polls;
            static inline int bounded(int v, int limit) { return v > limit ? limit : v; }
            int __attribute__((noinline)) vhost_poll_queue(int n) {
                if (n > 4)
                    polls += bounded(n, 64);
                return polls;
            }
            __attribute__((section(".init.text"), cold, noinline)) int vhost_test_init(void) {
                return vhost_poll_queue(polls + 5) > 3 ? 0 : -1;
            }
            """;

    @TempDir
    static Path dir;
    static Path vmlinux;
    static Path modules;
    static Path layout;
    static Path twin;

    @BeforeAll
    static void build() throws Exception {
        Requirements.tools("gcc", "ld", "objdump", "llvm-symbolizer", "xz");
        Files.writeString(dir.resolve("kernel.c"), KERNEL);
        Tools.check(dir, null, List.of("gcc", "-c", "-O2", "-g", "-fno-pic", "-mcmodel=kernel", "-o", "kernel.o", "kernel.c"));
        Tools.check(dir, null, List.of("ld", "-Ttext=0x" + Long.toHexString(CALLBACK), "-e", "kernel_work", "-o",
                "vmlinux", "kernel.o"));
        vmlinux = dir.resolve("vmlinux");

        Files.writeString(dir.resolve("vhost_test.c"), MODULE);
        // The same paths in the DWARF on every run make the same build id: the module's index (in the user's
        // cache, as symbolize keeps it) and its decompressed copy are reused instead of piling up.
        Tools.check(dir, null, List.of("gcc", "-c", "-O2", "-gdwarf-5", "-fno-pic", "-mcmodel=kernel",
                "-fsanitize-coverage=trace-pc", "-ffile-prefix-map=" + dir + "=/build/vhost-test", "-o", "vhost_test.o",
                "vhost_test.c"));
        Tools.check(dir, null, List.of("ld", "-r", "--build-id=sha1", "-o", "vhost-test.ko", "vhost_test.o"));
        modules = Files.createDirectories(dir.resolve("lib/modules/6.1.0-kcov/kernel/drivers/vhost")).getParent()
                .getParent().getParent();
        Tools.check(dir, null, List.of("xz", "-k", "vhost-test.ko"));
        Files.move(dir.resolve("vhost-test.ko.xz"), dir.resolve("lib/modules/6.1.0-kcov/kernel/drivers/vhost/vhost-test.ko.xz"));

        layout = Files.writeString(dir.resolve("layout.txt"), "# /sys/module/vhost_test/sections, reshaped\n"
                + "vhost_test .text 0x" + Long.toHexString(TEXT) + "\n"
                + "vhost_test .init.text 0x" + Long.toHexString(INIT_TEXT) + "\n");
        Files.writeString(dir.resolve("twin.ld"), "SECTIONS {\n"
                + "  .init.text 0x" + Long.toHexString(INIT_TEXT) + " : { *(.init.text) }\n"
                + "  .text 0x" + Long.toHexString(TEXT) + " : { *(.text) }\n}\n");
        Tools.check(dir, null, List.of("ld", "-T", "twin.ld", "-e", "0", "--defsym=__sanitizer_cov_trace_pc=0x"
                + Long.toHexString(CALLBACK), "-o", "twin", "vhost-test.ko"));
        twin = dir.resolve("twin");
    }

    private static List<Long> instructions(Path elf) throws Exception {
        List<Long> out = new ArrayList<>();
        for (String line : Tools.check(dir, null, List.of("objdump", "-d", "--no-show-raw-insn", elf.toString())).split("\n")) {
            Matcher m = INSTRUCTION.matcher(line);
            if (m.find()) {
                out.add(Long.parseUnsignedLong(m.group(1), 16));
            }
        }
        return out;
    }

    /** llvm-symbolizer's chain as "function file:line" per frame, innermost first. */
    private static List<String> oracle(Path elf, long address) throws Exception {
        String out = Tools.check(dir, "0x" + Long.toHexString(address) + "\n", List.of("llvm-symbolizer", "--output-style=JSON",
                "--inlining", "-e", elf.toString()));
        List<String> frames = new ArrayList<>();
        for (JsonNode s : JSON.readTree(out).path("Symbol")) {
            frames.add(s.path("FunctionName").asText() + " " + s.path("FileName").asText() + ":" + s.path("Line").asInt());
        }
        return frames;
    }

    private static List<String> ours(JsonNode line) {
        List<String> frames = new ArrayList<>();
        for (JsonNode f : line.path("frames")) {
            frames.add(f.path("function").asText() + " " + f.path("file").asText() + ":" + f.path("line").asInt());
        }
        return frames;
    }

    @Test
    void moduleAddressesNameTheModuleAndGetTheLinkedTwinsChains() throws Exception {
        List<Long> moduleCode = instructions(twin);
        long kernelWork = instructions(vmlinux).get(instructions(vmlinux).size() - 1);
        StringBuilder input = new StringBuilder();
        moduleCode.forEach(a -> input.append("0x").append(Long.toHexString(a)).append('\n'));
        input.append("0x").append(Long.toHexString(kernelWork)).append('\n');
        input.append("0xffffffffc0f00000\n");
        Path addresses = Files.writeString(dir.resolve("addresses.txt"), input);

        CliRunner.Result r = CliRunner.run("symbolize", "--vmlinux", vmlinux.toString(), "--modules", modules.toString(),
                "--layout", layout.toString(), addresses.toString());
        assertThat(r.status()).as(r.err()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines).hasSize(moduleCode.size() + 2);
        int inlined = 0;
        for (int i = 0; i < moduleCode.size(); i++) {
            JsonNode line = JSON.readTree(lines[i]);
            assertThat(line.path("address").asText()).isEqualTo("0x" + Long.toHexString(moduleCode.get(i)));
            assertThat(line.path("module").asText()).isEqualTo("vhost_test");
            assertThat(ours(line)).as(lines[i]).isEqualTo(oracle(twin, moduleCode.get(i))).isNotEmpty();
            inlined += line.path("frames").size() > 1 ? 1 : 0;
        }
        assertThat(inlined).as("addresses inside the inlined helper").isPositive();
        JsonNode kernel = JSON.readTree(lines[moduleCode.size()]);
        assertThat(kernel.has("module")).isFalse();
        assertThat(ours(kernel)).isEqualTo(oracle(vmlinux, kernelWork));
        JsonNode nowhere = JSON.readTree(lines[moduleCode.size() + 1]);
        assertThat(nowhere.has("module")).isFalse();
        assertThat(nowhere.path("frames")).isEmpty();
        assertThat(r.err()).contains("1 of the addresses (the first 0xffffffffc0f00000) lie in module space but in no"
                + " section " + layout + " places");
    }

    @Test
    void moduleAddressesWithoutALayoutAreAnError() throws Exception {
        Path addresses = Files.writeString(dir.resolve("no-layout.txt"), "0x" + Long.toHexString(TEXT + 4) + "\n");
        CliRunner.Result r = CliRunner.run("symbolize", "--vmlinux", vmlinux.toString(), addresses.toString());
        assertThat(r.status()).isNotZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("1 of the addresses (the first 0x" + Long.toHexString(TEXT + 4) + ") lie in module"
                + " space, outside " + vmlinux + ", but there is no module layout: record with the agent or pass --layout")
                .doesNotContain("Exception");
    }

    @Test
    void aProcModulesCopyPlacesTextWithAWarning() throws Exception {
        Path procModules = Files.writeString(dir.resolve("modules"), "vhost_test 16384 0 - Live 0x"
                + Long.toHexString(TEXT) + "\n");
        long first = instructions(twin).stream().filter(a -> a >= TEXT).findFirst().orElseThrow();
        Path addresses = Files.writeString(dir.resolve("text.txt"), "0x" + Long.toHexString(first) + "\n0x"
                + Long.toHexString(INIT_TEXT) + "\n");
        CliRunner.Result r = CliRunner.run("symbolize", "--vmlinux", vmlinux.toString(), "--modules", modules.toString(),
                "--layout", procModules.toString(), addresses.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning: " + procModules + " is a copy of /proc/modules");
        String[] lines = r.out().split("\n");
        assertThat(ours(JSON.readTree(lines[0]))).isEqualTo(oracle(twin, first));
        assertThat(JSON.readTree(lines[1]).has("module")).as(".init.text is not placed").isFalse();
    }

    @Test
    void aMissingModuleFileAndAHalfGivenPairAreNamed() throws Exception {
        Path other = Files.writeString(dir.resolve("other-layout.txt"), "usbcore .text 0xffffffffc0c00000\n");
        Path addresses = Files.writeString(dir.resolve("usbcore.txt"), "0xffffffffc0c00010\n");
        CliRunner.Result missing = CliRunner.run("symbolize", "--vmlinux", vmlinux.toString(), "--modules",
                modules.toString(), "--layout", other.toString(), addresses.toString());
        assertThat(missing.status()).isNotZero();
        assertThat(missing.err()).contains("module usbcore: no usbcore.ko (or .ko.xz, .ko.zst, .ko.gz; - and _ alike)"
                + " below " + modules);

        CliRunner.Result half = CliRunner.run("symbolize", "--vmlinux", vmlinux.toString(), "--layout", layout.toString(),
                addresses.toString());
        assertThat(half.status()).isNotZero();
        assertThat(half.err()).contains("--layout needs --modules DIR");
    }

    @Test
    void aModuleFileOfAnotherBuildIsRefusedWithBothIds() throws Exception {
        String builtId;
        try (dev.kcovexplorer.symbolizer.elf.ElfFile ko = dev.kcovexplorer.symbolizer.elf.ElfFile.open(
                dir.resolve("vhost-test.ko"))) {
            builtId = ko.buildId();
        }
        assertThat(builtId).as("ld --build-id gave the module one").isNotNull();
        long first = instructions(twin).stream().filter(a -> a >= TEXT).findFirst().orElseThrow();
        Path addresses = Files.writeString(dir.resolve("one.txt"), "0x" + Long.toHexString(first) + "\n");
        String sections = "vhost_test .text 0x" + Long.toHexString(TEXT) + "\n";

        Path same = Files.writeString(dir.resolve("same-build.layout"), "vhost_test build-id " + builtId + "\n" + sections);
        CliRunner.Result ok = CliRunner.run("symbolize", "--vmlinux", vmlinux.toString(), "--modules", modules.toString(),
                "--layout", same.toString(), addresses.toString());
        assertThat(ok.status()).as(ok.err()).isZero();
        assertThat(ours(JSON.readTree(ok.out().split("\n")[0]))).isEqualTo(oracle(twin, first));

        String otherId = "00" + builtId.substring(2).replace('0', '1');
        Path other = Files.writeString(dir.resolve("other-build.layout"), "vhost_test build-id " + otherId + "\n" + sections);
        CliRunner.Result refused = CliRunner.run("symbolize", "--vmlinux", vmlinux.toString(), "--modules",
                modules.toString(), "--layout", other.toString(), addresses.toString());
        assertThat(refused.status()).isNotZero();
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err()).contains("module vhost_test: " + modules.resolve(
                "kernel/drivers/vhost/vhost-test.ko.xz") + " has build id " + builtId + ", but the kernel loaded "
                + otherId + " (/sys/module/vhost_test/notes/.note.gnu.build-id as the layout recorded it): pass the"
                + " --modules directory of the build that ran").doesNotContain("Exception");
    }
}
