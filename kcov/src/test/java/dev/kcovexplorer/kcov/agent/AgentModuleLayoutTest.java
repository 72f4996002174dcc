package dev.kcovexplorer.kcov.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kcovexplorer.kcov.CoverageRun;
import dev.kcovexplorer.kcov.DumpReader;
import dev.kcovexplorer.kcov.ModuleLayout;
import dev.kcovexplorer.kcov.ModuleLayoutReader;
import dev.kcovexplorer.kcov.ModuleLayoutSource;
import dev.kcovexplorer.kcov.ModuleLayoutWriter;
import dev.kcovexplorer.kcov.ModuleSysfs;
import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.testing.Patience;
import dev.kcovexplorer.testing.Requirements;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module layout travels with coverage: the agent reads it from a {@code /sys/module}-shaped tree
 * (sections, and the build-id note of a module gcc and ld made here), answers {@code layout} with it,
 * and {@code agent --record} writes it beside the dump; a layout it cannot read is said, and never
 * leaves an earlier recording's layout beside a new dump.
 */
class AgentModuleLayoutTest {
    private static final long[] PCS = {0xffffffff81000010L, 0xffffffffc0a10025L, 0xffffffffc0a08013L};

    @TempDir
    static Path build;
    static byte[] note;

    @TempDir
    Path dir;

    private final List<AgentServer> servers = new ArrayList<>();

    @BeforeAll
    static void buildAModuleNote() throws Exception {
        Requirements.tools("gcc", "ld", "objcopy");
        Files.writeString(build.resolve("vhost_test.c"), "int vhost_test_poll(int n) { return n * 2; }\n");
        run("gcc", "-c", "-O2", "-o", "vhost_test.o", "vhost_test.c");
        run("ld", "-r", "--build-id=sha1", "-o", "vhost_test.ko", "vhost_test.o");
        run("objcopy", "-O", "binary", "--only-section=.note.gnu.build-id", "vhost_test.ko", "note.bin");
        note = Files.readAllBytes(build.resolve("note.bin"));
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(build.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(Patience.SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
    }

    @AfterEach
    void close() {
        servers.forEach(AgentServer::close);
    }

    /** A /sys/module with vhost_test loaded (.text, .init.text, its build id) and usbcore built in. */
    private Path sysfs() throws IOException {
        Path root = dir.resolve("sys-module");
        Path sections = Files.createDirectories(root.resolve("vhost_test/sections"));
        Files.writeString(sections.resolve(".text"), "0xffffffffc0a10000\n");
        Files.writeString(sections.resolve(".init.text"), "0xffffffffc0a08000\n");
        Files.write(Files.createDirectories(root.resolve("vhost_test/notes")).resolve(".note.gnu.build-id"), note);
        Files.createDirectories(root.resolve("usbcore/parameters"));
        return root;
    }

    private AgentServer serve(ModuleLayoutSource modules) throws IOException {
        DumpReplaySource source = new DumpReplaySource("modular", TraceMode.PC, PCS, 100, modules);
        AgentServer server = AgentServer.start(new InetSocketAddress("127.0.0.1", 0), null, source, line -> { });
        servers.add(server);
        return server;
    }

    private static Recorder recorder(List<String> log) {
        return new Recorder(new CollectionPlan(TraceMode.PC, 1 << 16, new int[] {1}, 0, false, 20, false), 0, log::add);
    }

    @Test
    void theAgentAnswersLayoutWithWhatSysfsSays() throws Exception {
        Path root = sysfs();
        AgentServer server = serve(ModuleLayoutSource.sysfs(root));
        try (AgentClient client = AgentClient.connect("127.0.0.1", server.address().getPort(), null, 0, batch -> { })) {
            ModuleLayout layout = client.moduleLayout();
            assertThat(layout).isEqualTo(ModuleSysfs.read(root));
            assertThat(layout.modules()).containsExactly("vhost_test");
            assertThat(layout.buildId("vhost_test")).isPresent();
        }
    }

    @Test
    void recordingThroughTheAgentWritesTheLayoutBesideTheDump() throws Exception {
        Path root = sysfs();
        AgentServer server = serve(ModuleLayoutSource.sysfs(root));
        Path out = dir.resolve("usb.kcov");
        List<String> log = new CopyOnWriteArrayList<>();

        recorder(log).recordRemote("127.0.0.1", server.address().getPort(), null, out);

        CoverageRun run = DumpReader.read(out);
        assertThat(run.trace()).containsExactly(PCS);
        Path layoutFile = dir.resolve("usb.kcov.layout");
        assertThat(ModuleLayoutReader.read(layoutFile)).isEqualTo(ModuleSysfs.read(root));
        assertThat(log).contains("wrote the layout of 1 modules to " + layoutFile);
    }

    /** sysfs gives real addresses, kcov's PCs lack the KASLR offset: the layout carries it, and answers in kcov's. */
    @Test
    void aKaslrKernelsOffsetIsRecordedWithTheLayoutAndSubtractedFromItsSections() throws Exception {
        Path root = sysfs();
        Path kallsyms = Files.writeString(dir.resolve("kallsyms"), "ffffffff9d000000 T _text\n");
        AgentServer server = serve(ModuleLayoutSource.sysfs(root, dir.resolve("no-kcore"), kallsyms));
        Path out = dir.resolve("kaslr.kcov");

        recorder(new ArrayList<>()).recordRemote("127.0.0.1", server.address().getPort(), null, out);

        Path layoutFile = ModuleLayoutWriter.besideDump(out);
        assertThat(Files.readString(layoutFile)).contains("\nkaslr-offset 0x1c000000\n",
                "\nvhost_test .text 0xffffffffc0a10000\n");
        ModuleLayout layout = ModuleLayoutReader.read(layoutFile);
        assertThat(layout.kaslrOffset()).isEqualTo(0x1c000000L);
        assertThat(layout.reportedSectionsOf("vhost_test")).isEqualTo(ModuleSysfs.read(root).sectionsOf("vhost_test"));
        assertThat(layout.sectionsOf("vhost_test")).containsEntry(".text", 0xffffffffc0a10000L - 0x1c000000L)
                .containsEntry(".init.text", 0xffffffffc0a08000L - 0x1c000000L).hasSize(2);
        assertThat(layout).isNotEqualTo(ModuleSysfs.read(root));
    }

    @Test
    void aLayoutTheAgentCannotReadIsSaidAndAStaleOneRemoved() throws Exception {
        Path out = dir.resolve("usb.kcov");
        Path stale = ModuleLayoutWriter.besideDump(out);
        Files.writeString(stale, "vhost_test .text 0xffffffffc0b00000\n");
        AgentServer server = serve(() -> {
            throw new IOException("/sys/module/vhost_test/sections/.text: permission denied");
        });
        List<String> log = new CopyOnWriteArrayList<>();

        recorder(log).recordRemote("127.0.0.1", server.address().getPort(), null, out);

        assertThat(out).exists();
        assertThat(stale).doesNotExist();
        assertThat(log).contains("removed " + stale + ", left from an earlier recording",
                "warning: no module layout recorded (cannot read the module layout: /sys/module/vhost_test/sections/.text:"
                        + " permission denied): PCs in modules in this dump cannot be symbolized");
        try (AgentClient client = AgentClient.connect("127.0.0.1", server.address().getPort(), null, 0, batch -> { })) {
            assertThatThrownBy(client::moduleLayout).isInstanceOf(AgentException.class)
                    .hasMessageContaining("permission denied");
        }
    }

    @Test
    void aKernelWithoutModulesRecordsNoLayout() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("sys-module/kernel/parameters")).getParent().getParent();
        AgentServer server = serve(ModuleLayoutSource.sysfs(empty));
        Path out = dir.resolve("builtin.kcov");
        List<String> log = new CopyOnWriteArrayList<>();

        recorder(log).recordRemote("127.0.0.1", server.address().getPort(), null, out);

        assertThat(ModuleLayoutWriter.besideDump(out)).doesNotExist();
        assertThat(log).contains("no module is loaded: no module layout to record");
    }

    @Test
    void aReplayedDumpServesTheLayoutRecordedWithIt() throws Exception {
        Path root = sysfs();
        AgentServer recorded = serve(ModuleLayoutSource.sysfs(root));
        Path out = dir.resolve("modular.kcov");
        recorder(new ArrayList<>()).recordRemote("127.0.0.1", recorded.address().getPort(), null, out);

        DumpReplaySource replay = DumpReplaySource.of(out, 100);
        assertThat(replay.moduleLayout()).isEqualTo(ModuleSysfs.read(root));
        assertThat(DumpReplaySource.of(dir.resolve("elsewhere.kcov").resolveSibling(Files.copy(out,
                dir.resolve("copy.kcov")).getFileName()), 100).moduleLayout()).isSameAs(ModuleLayout.NONE);
    }
}
