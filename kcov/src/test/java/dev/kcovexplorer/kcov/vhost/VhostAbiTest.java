package dev.kcovexplorer.kcov.vhost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.testing.Patience;
import dev.kcovexplorer.testing.Requirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every ioctl number and struct size the exerciser uses, against what gcc computes from the kernel's uapi headers. */
class VhostAbiTest {
    private static final String PROGRAM = """
            #include <stdio.h>
            #include <linux/vhost.h>
            #include <linux/if_tun.h>
            #include <linux/sockios.h>
            #include <linux/virtio_ring.h>
            #include <linux/virtio_config.h>
            #include <linux/virtio_net.h>
            #include <net/if.h>
            #define P(name) printf(#name " %llu\\n", (unsigned long long) (name))
            int main(void) {
                P(VHOST_GET_FEATURES); P(VHOST_SET_FEATURES); P(VHOST_SET_LOG_BASE); P(VHOST_F_LOG_ALL); P(VHOST_VRING_F_LOG); P(VHOST_SET_OWNER); P(VHOST_SET_MEM_TABLE);
                P(VHOST_SET_VRING_NUM); P(VHOST_SET_VRING_ADDR); P(VHOST_SET_VRING_BASE);
                P(VHOST_SET_VRING_KICK); P(VHOST_SET_VRING_CALL); P(VHOST_NET_SET_BACKEND);
                P(TUNSETIFF); P(TUNSETVNETHDRSZ); P(IFF_TAP); P(IFF_NO_PI); P(IFF_VNET_HDR);
                P(SIOCGIFFLAGS); P(SIOCSIFFLAGS); P(SIOCSIFADDR); P(SIOCSIFNETMASK); P(IFF_UP);
                P(VRING_DESC_F_NEXT); P(VRING_DESC_F_WRITE); P(VRING_DESC_F_INDIRECT);
                P(VIRTIO_NET_F_MRG_RXBUF); P(VIRTIO_RING_F_INDIRECT_DESC); P(VIRTIO_RING_F_EVENT_IDX); P(VIRTIO_F_VERSION_1);
                P(sizeof(struct vhost_vring_state)); P(sizeof(struct vhost_vring_file)); P(sizeof(struct vhost_vring_addr));
                P(sizeof(struct vhost_memory)); P(sizeof(struct vhost_memory_region)); P(sizeof(struct ifreq));
                P(sizeof(struct vring_desc)); P(sizeof(struct virtio_net_hdr_mrg_rxbuf)); P(sizeof(struct virtio_net_hdr));
                return 0;
            }
            """;

    @Test
    void numbersMatchTheUapiHeaders(@TempDir Path dir) throws Exception {
        Map<String, Long> fromGcc = compileAndRun(dir);
        Map<String, Long> ours = new LinkedHashMap<>();
        ours.put("VHOST_GET_FEATURES", VhostAbi.VHOST_GET_FEATURES);
        ours.put("VHOST_SET_FEATURES", VhostAbi.VHOST_SET_FEATURES);
        ours.put("VHOST_SET_OWNER", VhostAbi.VHOST_SET_OWNER);
        ours.put("VHOST_SET_LOG_BASE", VhostAbi.VHOST_SET_LOG_BASE);
        ours.put("VHOST_F_LOG_ALL", (long) VhostAbi.VHOST_F_LOG_ALL);
        ours.put("VHOST_VRING_F_LOG", (long) VhostAbi.VHOST_VRING_F_LOG);
        ours.put("VHOST_SET_MEM_TABLE", VhostAbi.VHOST_SET_MEM_TABLE);
        ours.put("VHOST_SET_VRING_NUM", VhostAbi.VHOST_SET_VRING_NUM);
        ours.put("VHOST_SET_VRING_ADDR", VhostAbi.VHOST_SET_VRING_ADDR);
        ours.put("VHOST_SET_VRING_BASE", VhostAbi.VHOST_SET_VRING_BASE);
        ours.put("VHOST_SET_VRING_KICK", VhostAbi.VHOST_SET_VRING_KICK);
        ours.put("VHOST_SET_VRING_CALL", VhostAbi.VHOST_SET_VRING_CALL);
        ours.put("VHOST_NET_SET_BACKEND", VhostAbi.VHOST_NET_SET_BACKEND);
        ours.put("TUNSETIFF", VhostAbi.TUNSETIFF);
        ours.put("TUNSETVNETHDRSZ", VhostAbi.TUNSETVNETHDRSZ);
        ours.put("IFF_TAP", (long) VhostAbi.IFF_TAP);
        ours.put("IFF_NO_PI", (long) VhostAbi.IFF_NO_PI);
        ours.put("IFF_VNET_HDR", (long) VhostAbi.IFF_VNET_HDR);
        ours.put("SIOCGIFFLAGS", VhostAbi.SIOCGIFFLAGS);
        ours.put("SIOCSIFFLAGS", VhostAbi.SIOCSIFFLAGS);
        ours.put("SIOCSIFADDR", VhostAbi.SIOCSIFADDR);
        ours.put("SIOCSIFNETMASK", VhostAbi.SIOCSIFNETMASK);
        ours.put("IFF_UP", (long) VhostAbi.IFF_UP);
        ours.put("VRING_DESC_F_NEXT", (long) VhostAbi.VRING_DESC_F_NEXT);
        ours.put("VRING_DESC_F_WRITE", (long) VhostAbi.VRING_DESC_F_WRITE);
        ours.put("VRING_DESC_F_INDIRECT", (long) VhostAbi.VRING_DESC_F_INDIRECT);
        ours.put("VIRTIO_NET_F_MRG_RXBUF", (long) VhostAbi.VIRTIO_NET_F_MRG_RXBUF);
        ours.put("VIRTIO_RING_F_INDIRECT_DESC", (long) VhostAbi.VIRTIO_RING_F_INDIRECT_DESC);
        ours.put("VIRTIO_RING_F_EVENT_IDX", (long) VhostAbi.VIRTIO_RING_F_EVENT_IDX);
        ours.put("VIRTIO_F_VERSION_1", (long) VhostAbi.VIRTIO_F_VERSION_1);
        ours.put("sizeof(struct vhost_vring_state)", (long) VhostAbi.VRING_STATE_SIZE);
        ours.put("sizeof(struct vhost_vring_file)", (long) VhostAbi.VRING_STATE_SIZE);
        ours.put("sizeof(struct vhost_vring_addr)", (long) VhostAbi.VRING_ADDR_SIZE);
        ours.put("sizeof(struct vhost_memory)", (long) VhostAbi.MEMORY_HEADER_SIZE);
        ours.put("sizeof(struct vhost_memory_region)", (long) VhostAbi.MEMORY_REGION_SIZE);
        ours.put("sizeof(struct ifreq)", (long) VhostAbi.IFREQ_SIZE);
        ours.put("sizeof(struct vring_desc)", (long) SplitVirtqueue.DESCRIPTOR_SIZE);
        ours.put("sizeof(struct virtio_net_hdr_mrg_rxbuf)", 12L);
        ours.put("sizeof(struct virtio_net_hdr)", 10L);

        assertThat(ours).containsExactlyInAnyOrderEntriesOf(fromGcc);
    }

    private static Map<String, Long> compileAndRun(Path dir) throws IOException, InterruptedException {
        Requirements.tools("gcc");
        Requirements.require(Files.exists(Path.of("/usr/include/linux/vhost.h")),
                "<linux/vhost.h> is not installed (apt-get install linux-libc-dev)");
        Path source = dir.resolve("abi.c");
        Files.writeString(source, PROGRAM);
        Path binary = dir.resolve("abi");
        run(dir, "gcc", "-o", binary.toString(), source.toString());
        String output = run(dir, binary.toString());
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : output.strip().split("\n")) {
            int space = line.lastIndexOf(' ');
            values.put(line.substring(0, space), Long.parseUnsignedLong(line.substring(space + 1)));
        }
        return values;
    }

    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(Patience.SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s failed:%n%s", String.join(" ", command), output).isZero();
        return output;
    }

    private static boolean onPath(String tool) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(entry, tool))) {
                return true;
            }
        }
        return false;
    }
}
