package dev.kcovexplorer.kcov.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kcovexplorer.kcov.TraceMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentOptionsTest {
    @TempDir
    Path dir;

    @Test
    void listenDefaultsToLoopback() {
        AgentOptions options = AgentOptions.parse("--listen", "7070");
        assertThat(options.listen.get(0).getHostString()).isEqualTo("127.0.0.1");
        assertThat(options.listen.get(0).getPort()).isEqualTo(7070);
        assertThat(AgentOptions.parse("--listen", "0.0.0.0:9000").listen.get(0).getHostString()).isEqualTo("0.0.0.0");
        assertThat(AgentOptions.parse("--listen", ":9000").listen.get(0).getHostString()).isEqualTo("127.0.0.1");
    }

    @Test
    void listenRepeatsForSessionsKeptApart() {
        AgentOptions options = AgentOptions.parse("--listen", "7070", "--listen", "127.0.0.1:7071");
        assertThat(options.listen).extracting(java.net.InetSocketAddress::getPort).containsExactly(7070, 7071);
    }

    @Test
    void recordOptionsBecomeAPlan() {
        AgentOptions options = AgentOptions.parse("--record", "out.kcov", "--usb-bus", "1,2", "--usb-bus", "3",
                "--common", "0x42", "--seconds", "2.5", "--mode", "cmp", "--area-words", "4096");
        CollectionPlan plan = options.plan();
        assertThat(plan.usbBuses()).containsExactly(1, 2, 3);
        assertThat(plan.commonHandle()).isEqualTo(0x42);
        assertThat(plan.mode()).isEqualTo(TraceMode.CMP);
        assertThat(plan.areaWords()).isEqualTo(4096);
        assertThat(plan.keepOnDisconnect()).isFalse();
        assertThat(options.seconds).isEqualTo(2.5);
        assertThat(plan.usbHandles()).containsExactly(0x0100000000000001L, 0x0100000000000002L, 0x0100000000000003L);
        assertThat(plan.encodedCommonHandle()).isEqualTo(0x42);
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> AgentOptions.parse()).hasMessageContaining("either --listen");
        assertThatThrownBy(() -> AgentOptions.parse("--listen", "1", "--record", "x")).hasMessageContaining("either --listen");
        assertThatThrownBy(() -> AgentOptions.parse("--listen", "99999")).hasMessageContaining("port 99999");
        assertThatThrownBy(() -> AgentOptions.parse("--record", "x", "--usb-bus", "zero")).hasMessageContaining("'zero' is not a number");
        assertThatThrownBy(() -> AgentOptions.parse("--record", "x", "--common", "0x100000000")).hasMessageContaining("outside");
        assertThatThrownBy(() -> AgentOptions.parse("--record", "x", "--seconds", "-1")).hasMessageContaining("--seconds");
        assertThatThrownBy(() -> AgentOptions.parse("--record", "x", "--mode", "edge")).hasMessageContaining("pc or cmp");
        assertThatThrownBy(() -> AgentOptions.parse("--record", "x", "--frobnicate", "1")).hasMessageContaining("unknown option --frobnicate");
        assertThatThrownBy(() -> AgentOptions.parse("--record")).hasMessageContaining("--record needs a value");
        assertThatThrownBy(() -> AgentOptions.parse("--record", "x", "--usb-bus", "1", "--exercise", "vhost-net"))
                .hasMessageContaining("needs --common");
        assertThatThrownBy(() -> AgentOptions.parse("--record", "x").plan()).hasMessageContaining("nothing to collect");
        assertThatThrownBy(() -> AgentOptions.parse("--record", "x", "--local", "--usb-bus", "1").plan())
                .hasMessageContaining("separate sessions");
    }

    @Test
    void aFuzzingCampaignNeedsItsDirectoryAndIsGuidedUnlessToldBlind() throws Exception {
        assertThatThrownBy(() -> AgentOptions.parse("--fuzz-usb")).hasMessageContaining("give --out DIR");
        assertThatThrownBy(() -> AgentOptions.parse("--fuzz-usb", "--out", "c", "--record", "x"))
                .hasMessageContaining("either --listen");
        assertThatThrownBy(() -> AgentOptions.parse("--fuzz-usb", "--out", "c", "--snapshot-every", "0"))
                .hasMessageContaining("outside 1..86400");
        var guided = AgentOptions.parse("--fuzz-usb", "--out", "c", "--seconds", "300", "--seed", "7").fuzzOptions();
        assertThat(guided.guided()).isTrue();
        assertThat(guided.name()).isEqualTo("guided");
        assertThat(guided.seconds()).isEqualTo(300);
        assertThat(guided.seed()).isEqualTo(7);
        var blind = AgentOptions.parse("--blind", "--fuzz-usb", "--out", "c", "--snapshot-every", "15",
                "--connection-ms", "1500").fuzzOptions();
        assertThat(blind.guided()).isFalse();
        assertThat(blind.name()).isEqualTo("blind");
        assertThat(blind.snapshotEvery()).isEqualTo(15);
        assertThat(blind.budgetMillis()).isEqualTo(1500);
        assertThat(blind.out()).isEqualTo(Path.of("c"));
        assertThat(blind.focus()).isNull();
    }

    @Test
    void aFocusIsReadFromItsFileAndABadLineIsNamed() throws Exception {
        Path points = Files.writeString(dir.resolve("focus"), "# drivers/usb/core/\n0xffffffff81a00010\n\n0xffffffff81a00020\n");
        var focused = AgentOptions.parse("--fuzz-usb", "--out", "c", "--focus", points.toString()).fuzzOptions();
        assertThat(focused.focus().size()).isEqualTo(2);
        assertThat(focused.focus().contains(0xffffffff81a00015L)).isTrue();
        Path bad = Files.writeString(dir.resolve("bad"), "0xffffffff81a00010\nhub_event+0x10\n");
        assertThatThrownBy(() -> AgentOptions.parse("--fuzz-usb", "--out", "c", "--focus", bad.toString()).fuzzOptions())
                .hasMessageContaining(bad + ":2:").hasMessageContaining("expected a 0x-hex address");
    }

    @Test
    void theTokenIsTheFirstLineOfItsFile() throws Exception {
        Path file = privateFile("token", "  s3cret-s3cret-s3cret \nsecond line\n");
        assertThat(AgentOptions.parse("--listen", "1", "--token-file", file.toString()).token())
                .isEqualTo("s3cret-s3cret-s3cret");
        Files.writeString(file, "\n");
        assertThatThrownBy(() -> AgentOptions.parse("--listen", "1", "--token-file", file.toString()).token())
                .hasMessageContaining("is empty").hasMessageContaining("head -c 32 /dev/urandom");
        assertThatThrownBy(() -> AgentOptions.parse("--listen", "1", "--token-file", dir.resolve("missing").toString()).token())
                .hasMessageContaining("missing does not exist");
    }

    @Test
    void aTokenFileOthersCanReadOrAShortTokenIsRefusedWithHowToMakeOne() throws Exception {
        Path readable = dir.resolve("readable");
        Files.writeString(readable, "a-long-enough-secret-token\n");
        Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> AgentOptions.parse("--listen", "1", "--token-file", readable.toString()).token())
                .hasMessageContaining("readable by every user").hasMessageContaining("chmod 600 " + readable);

        Path shortToken = privateFile("short", "fifteen-bytes!!\n");
        assertThatThrownBy(() -> AgentOptions.parse("--listen", "1", "--token-file", shortToken.toString()).token())
                .hasMessageContaining("has 15 bytes, fewer than 16").hasMessageContaining("head -c 32 /dev/urandom");

        Path sixteen = privateFile("sixteen", "sixteen-bytes!!!\n");
        assertThat(AgentOptions.parse("--listen", "1", "--token-file", sixteen.toString()).token()).hasSize(16);
    }

    private Path privateFile(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
