package dev.kcovexplorer.kcov.usb;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kcovexplorer.kcov.AtomicFiles;
import dev.kcovexplorer.kcov.DumpWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

/**
 * A campaign directory as the explorer opens it as a run series: one kcov area dump of the cumulative coverage
 * per snapshot, named by the seconds since the start ({@code t000030.kcov}), and {@code campaign.json} listing
 * them with what the fuzzer had done by then. The manifest is rewritten (atomically) after every snapshot, so a
 * campaign cut short is still a series.
 */
final class CampaignWriter {
    static final String MANIFEST = "campaign.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path directory;
    private final ObjectNode manifest = JSON.createObjectNode();
    private final ArrayNode snapshots;

    CampaignWriter(Path directory, String name, String fuzzer, long seed, Instant started, double seconds,
                   double snapshotEvery, String remoteSource) throws IOException {
        this.directory = Files.createDirectories(directory);
        manifest.put("format", "kcov-explorer-campaign");
        manifest.put("version", 1);
        manifest.put("name", name);
        manifest.put("fuzzer", fuzzer);
        manifest.put("seed", seed);
        manifest.put("started", started.toString());
        manifest.put("seconds", seconds);
        manifest.put("snapshotEvery", snapshotEvery);
        manifest.put("remoteSource", remoteSource);
        snapshots = manifest.putArray("snapshots");
        // At once, before any snapshot file: a campaign.json left in the directory by an earlier campaign would
        // otherwise list this campaign's t*.kcov under that one's figures until the first snapshot is written.
        writeManifest();
    }

    /** Writes the coverage so far (sorted unique PCs) as the snapshot at {@code seconds}. */
    void snapshot(double seconds, long[] pcs, int connections, int corpus) throws IOException {
        String file = String.format(Locale.ROOT, "t%06d.kcov", Math.round(seconds));
        DumpWriter.writePcArea(directory.resolve(file), pcs, 8);
        ObjectNode entry = snapshots.addObject();
        entry.put("t", seconds);
        entry.put("file", file);
        entry.put("pcs", pcs.length);
        entry.put("connections", connections);
        entry.put("corpus", corpus);
        writeManifest();
    }

    /** The campaign's figures once it ends. */
    void finish(int connections, double elapsed, int corpus, int uniquePcs) throws IOException {
        manifest.put("connections", connections);
        manifest.put("connectionsPerSecond", elapsed > 0 ? Math.round(100.0 * connections / elapsed) / 100.0 : 0);
        manifest.put("corpusSize", corpus);
        manifest.put("uniquePcs", uniquePcs);
        writeManifest();
    }

    /**
     * Marks the campaign as ended before its time, at {@code seconds}, and why (the kernel oopsed, the bus stopped
     * answering, a signal): its curve then stops there, or goes flat for a reason that is not the fuzzer's.
     */
    void cutShort(String reason, double seconds) throws IOException {
        manifest.put("cutShort", reason);
        manifest.put("cutShortAt", Math.round(seconds * 10) / 10.0);
        writeManifest();
    }

    /** Keeps a corpus input beside the snapshots, as readable hex. */
    void corpusEntry(int number, UsbDevice device, int newPcs, int newSignals) throws IOException {
        Path dir = Files.createDirectories(directory.resolve("corpus"));
        String text = "new PCs " + newPcs + "\nnew signals " + newSignals + "\n" + device.describe();
        AtomicFiles.write(dir.resolve(String.format(Locale.ROOT, "%04d.txt", number)),
                out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    private void writeManifest() throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(manifest);
        AtomicFiles.write(directory.resolve(MANIFEST), out -> out.write(bytes));
    }
}
