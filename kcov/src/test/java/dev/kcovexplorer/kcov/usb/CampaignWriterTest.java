package dev.kcovexplorer.kcov.usb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A campaign cut short says so in its manifest, with why and when; one that ran its time says nothing of it. */
class CampaignWriterTest {
    @Test
    void aCampaignCutShortSaysWhyAndWhen(@TempDir Path dir) throws Exception {
        CampaignWriter writer = new CampaignWriter(dir, "blind", "kcov-explorer usb blind", 71, Instant.EPOCH, 300, 15,
                "USB bus 3");
        writer.snapshot(15, new long[] {0xffffffff81000000L}, 9, 0);
        writer.finish(9, 15.2, 0, 1);
        JsonNode manifest = new ObjectMapper().readTree(dir.resolve(CampaignWriter.MANIFEST).toFile());
        assertThat(manifest.has("cutShort")).isFalse();
        writer.cutShort("the kernel oopsed (dmesg: divide error: 0000 [#1] PREEMPT SMP NOPTI)", 181.04);
        manifest = new ObjectMapper().readTree(dir.resolve(CampaignWriter.MANIFEST).toFile());
        assertThat(manifest.path("cutShort").asText())
                .isEqualTo("the kernel oopsed (dmesg: divide error: 0000 [#1] PREEMPT SMP NOPTI)");
        assertThat(manifest.path("cutShortAt").asDouble()).isEqualTo(181.0);
        assertThat(manifest.path("connections").asInt()).isEqualTo(9);
        assertThat(manifest.path("snapshots")).hasSize(1);
    }
}
