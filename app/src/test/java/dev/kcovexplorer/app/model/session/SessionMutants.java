package dev.kcovexplorer.app.model.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Broken variants of a good session file: bit flips and truncations of its bytes, junk after it, ZIP
 * headers that lie (CRCs, sizes, duplicate names, missing and extra entries), bombs, manifests edited
 * into invalid ones, and, for sessions that record SHA-256s, entries changed with a consistent CRC.
 */
final class SessionMutants {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final long GiB = 1L << 30;

    /**
     * One mutant.
     *
     * @param mayLoad the change may leave the session's meaning intact (a flipped bit in a timestamp), so
     *                loading it is right if what loads equals the original; otherwise it must be refused
     */
    record Mutant(String name, Supplier<byte[]> bytes, boolean mayLoad) {
    }

    private final String base;
    private final byte[] original;
    private final List<ZipForge.Part> parts;
    private final ObjectNode manifest;
    private final boolean recordsHashes;
    private final Random random;
    private final List<Mutant> mutants = new ArrayList<>();

    private SessionMutants(String base, Path file, long seed) throws IOException {
        this.base = base;
        this.original = Files.readAllBytes(file);
        this.parts = ZipForge.parts(file);
        this.manifest = (ObjectNode) JSON.readTree(ZipForge.data(parts, SessionFile.MANIFEST));
        this.recordsHashes = manifest.has("entries");
        this.random = new Random(seed);
    }

    /** About {@code flips} bit flips plus every structural and manifest mutant for the session in {@code file}. */
    static List<Mutant> of(String base, Path file, long seed, int flips, boolean bombs) throws IOException {
        SessionMutants m = new SessionMutants(base, file, seed);
        m.bitFlips(flips);
        m.truncations();
        m.junk();
        m.headerLies();
        m.duplicatesAndStrangers();
        m.manifestEdits();
        if (m.recordsHashes) {
            m.consistentForgeries();
        }
        if (bombs) {
            m.bombs();
        }
        return m.mutants;
    }

    /** A mutant made when it is read: a large base times hundreds of mutants would not fit in memory. */
    private void add(String name, boolean mayLoad, Supplier<byte[]> bytes) {
        mutants.add(new Mutant(base + "-" + mutants.size() + "-" + name, bytes, mayLoad));
    }

    private void bitFlips(int count) {
        for (int i = 0; i < count; i++) {
            int at = random.nextInt(original.length);
            int bit = random.nextInt(8);
            add("flip@" + at + "." + bit, true, () -> {
                byte[] copy = original.clone();
                copy[at] ^= (byte) (1 << bit);
                return copy;
            });
        }
    }

    private void truncations() {
        int[] cuts = {0, 1, 4, 21, 22, original.length / 3, original.length / 2, original.length - 23, original.length - 22,
            original.length - 1, random.nextInt(original.length), random.nextInt(original.length)};
        for (int cut : cuts) {
            add("cut@" + cut, false, () -> java.util.Arrays.copyOf(original, Math.max(0, cut)));
        }
        for (int i = 0; i < parts.size(); i++) {
            ZipForge.Part part = parts.get(i);
            if (part.raw().length > 2) {
                List<ZipForge.Part> cut = new ArrayList<>(parts);
                cut.set(i, part.withRawCut(part.raw().length / 2));
                add("data-cut-" + part.name(), false, () -> ZipForge.write(cut));
            }
        }
    }

    private void junk() {
        for (int length : new int[] {1, 7, 100, 4096, 70_000}) {
            byte[] junk = new byte[length];
            random.nextBytes(junk);
            add("junk+" + length, false, () -> {
                byte[] copy = java.util.Arrays.copyOf(original, original.length + length);
                System.arraycopy(junk, 0, copy, original.length, length);
                return copy;
            });
        }
        add("concatenated-twice", false, () -> {
            byte[] twice = java.util.Arrays.copyOf(original, original.length * 2);
            System.arraycopy(original, 0, twice, original.length, original.length);
            return twice;
        });
    }

    private void headerLies() {
        for (int i = 0; i < parts.size(); i++) {
            ZipForge.Part part = parts.get(i);
            replace(i, part.withCrc(part.crc() ^ 1), "crc-flip-" + part.name());
            replace(i, part.withCrc(part.crc() ^ 0x80000000L), "crc-high-" + part.name());
            replace(i, part.withSize(part.size() + 1), "size+1-" + part.name());
            if (part.size() > 0) {
                replace(i, part.withSize(part.size() - 1), "size-1-" + part.name());
            }
            try {
                byte[] data = ZipForge.inflate(part);
                if (data.length > 0) {
                    byte[] flipped = data.clone();
                    flipped[random.nextInt(flipped.length)] ^= 0x20;
                    // Stored, the changed byte reaches the reader as it is: only the CRC can tell.
                    replace(i, ZipForge.Part.stored(part.name(), flipped).withCrc(part.crc()), "stored-flip-" + part.name());
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            List<ZipForge.Part> without = new ArrayList<>(parts);
            without.remove(i);
            add("missing-" + part.name(), false, () -> ZipForge.write(without));
        }
    }

    private void replace(int index, ZipForge.Part part, String name) {
        List<ZipForge.Part> changed = new ArrayList<>(parts);
        changed.set(index, part);
        add(name, false, () -> ZipForge.write(changed));
    }

    private void duplicatesAndStrangers() throws IOException {
        for (ZipForge.Part part : parts) {
            List<ZipForge.Part> twice = new ArrayList<>(parts);
            twice.add(part);
            add("duplicate-" + part.name(), false, () -> ZipForge.write(twice));
        }
        ObjectNode renamed = manifest.deepCopy();
        ((ObjectNode) renamed.get("runs").get(0)).put("label", "forged");
        List<ZipForge.Part> shadowed = new ArrayList<>(parts);
        shadowed.add(0, ZipForge.Part.deflated(SessionFile.MANIFEST, JSON.writeValueAsBytes(renamed)));
        add("duplicate-manifest-first", false, () -> ZipForge.write(shadowed));
        for (String stranger : new String[] {"../../etc/passwd", "runs/99.bin", "Manifest.json", "cmp/0.bin.orig", "x"}) {
            List<ZipForge.Part> extra = new ArrayList<>(parts);
            extra.add(ZipForge.Part.deflated(stranger, new byte[] {1, 2, 3}));
            add("stranger-" + stranger.replace('/', '_'), false, () -> ZipForge.write(extra));
        }
        List<ZipForge.Part> renamedRun = new ArrayList<>(parts);
        for (int i = 0; i < renamedRun.size(); i++) {
            if (renamedRun.get(i).name().equals("runs/0.bin")) {
                renamedRun.set(i, renamedRun.get(i).withName("runs\\0.bin"));
            }
        }
        add("backslash-run", false, () -> ZipForge.write(renamedRun));
    }

    /** Manifests that are no longer valid, each zipped with a correct CRC. */
    private void manifestEdits() throws IOException {
        JsonNode bigInt = NODES.numberNode(BigInteger.ONE.shiftLeft(70));
        Object[][] runEdits = {
            {"label", NODES.textNode("")}, {"label", null}, {"label", NODES.numberNode(5)}, {"label", NODES.textNode("  ")},
            {"colour", NODES.textNode("red")}, {"colour", NODES.textNode("#12345")}, {"colour", NODES.numberNode(7)},
            {"colour", NODES.textNode("#12345g")}, {"colour", NODES.textNode("#123456;-fx-background-image:url(x)")},
            {"mode", NODES.textNode("bogus")}, {"mode", NODES.numberNode(5)}, {"mode", NODES.textNode("PC")},
            {"entries", NODES.numberNode(-5)}, {"entries", NODES.numberNode(5.5)}, {"entries", NODES.textNode("5")},
            {"entries", NODES.booleanNode(true)}, {"entries", NODES.numberNode(1e30)}, {"entries", bigInt},
            {"overflow", NODES.textNode("yes")}, {"overflow", NODES.numberNode(1)},
            {"pcKind", NODES.textNode("weird")}, {"pcKind", NODES.numberNode(3)},
            {"uniquePcs", NODES.numberNode(-1)}, {"uniquePcs", NODES.numberNode(5.5)}, {"uniquePcs", null},
            {"uniquePcs", NODES.textNode("x")}, {"uniquePcs", "+1"},
            {"coveredPoints", NODES.numberNode(5766.5)}, {"coveredPoints", NODES.numberNode(-1)}, {"coveredPoints", null},
            {"coveredPoints", "+1"}, {"coveredPoints", NODES.numberNode(1e30)},
            {"entry", NODES.textNode("runs/9.bin")}, {"entry", NODES.textNode("../../etc/passwd")},
            {"attribution", NODES.textNode("abc")}, {"attribution.returnAddressRate", NODES.numberNode(1.5)},
            {"attribution.returnAddressRate", NODES.textNode("x")}, {"attribution.matched", NODES.numberNode(-1)},
            {"attribution.matched", "+1"}, {"attribution.unresolvedReasons", NODES.arrayNode()},
            {"attribution.unresolvedReasons", NODES.objectNode().put("x", -1)},
            {"attribution.unresolvedReasons", NODES.objectNode().put("x", "y")}, {"attribution.uniquePcs", null},
        };
        JsonNode runs = manifest.get("runs");
        for (int n = 0; n < Math.min(2, runs.size()); n++) {
            for (Object[] edit : runEdits) {
                int run = n;
                String field = (String) edit[0];
                editManifest("runs[" + n + "]." + field + "=" + edit[1], root -> set((ObjectNode) root.get("runs").get(run),
                        field, edit[1]));
            }
        }
        for (int n = 0; n < runs.size(); n++) {
            if (runs.get(n).has("comparisons")) {
                int run = n;
                editManifest("runs[" + n + "].comparisons.records=-1",
                        root -> set((ObjectNode) root.get("runs").get(run), "comparisons.records", NODES.numberNode(-1)));
                editManifest("runs[" + n + "].comparisons.records+1",
                        root -> set((ObjectNode) root.get("runs").get(run), "comparisons.records", "+1"));
                editManifest("runs[" + n + "].comparisons.entry",
                        root -> set((ObjectNode) root.get("runs").get(run), "comparisons.entry", NODES.textNode("cmp/7.bin")));
                editManifest("runs[" + n + "].comparisons-removed",
                        root -> ((ObjectNode) root.get("runs").get(run)).remove("comparisons"));
            }
        }
        Object[][] topEdits = {
            {"format", NODES.textNode("other")}, {"format", null}, {"format", NODES.numberNode(5)},
            {"formatVersion", NODES.numberNode(0)}, {"formatVersion", NODES.numberNode(99)},
            {"formatVersion", NODES.textNode("3")}, {"formatVersion", NODES.numberNode(2.5)}, {"formatVersion", null},
            {"formatVersion", NODES.numberNode(-1)},
            {"kernel", NODES.textNode("x")}, {"kernel", NODES.arrayNode()}, {"kernel", null},
            {"kernel.release", NODES.numberNode(5)}, {"kernel.release", NODES.arrayNode()},
            {"kernel.config", NODES.textNode("other.cfg")}, {"kernel.config", NODES.numberNode(5)},
            {"index", null}, {"index", NODES.textNode("x")}, {"index.points", NODES.numberNode(-1)},
            {"index.points", "+1"}, {"index.points", NODES.numberNode(1.5)}, {"index.frames", "+1"},
            {"index.strings", NODES.textNode("7")}, {"index.files", NODES.numberNode(-3)},
            {"runs", NODES.objectNode()}, {"runs", NODES.textNode("abc")}, {"runs", null},
            {"runs", NODES.arrayNode().add(5)}, {"runs", NODES.arrayNode()},
            {"paths", NODES.textNode("x")}, {"paths.prefixMap", NODES.arrayNode()},
            {"paths.prefixMap", NODES.objectNode().put("/a", 5)},
            {"sources", NODES.arrayNode()}, {"sources", NODES.objectNode().put("a.c", "not-a-hash")},
            {"sources", NODES.objectNode().put("a.c", 5)},
        };
        for (Object[] edit : topEdits) {
            editManifest(edit[0] + "=" + edit[1], root -> set(root, (String) edit[0], edit[1]));
        }
        editManifest("kernel.config-null", root -> ((ObjectNode) root.get("kernel")).putNull("config"));
        editManifest("runs-dropped-last", root -> ((ArrayNode) root.get("runs")).remove(root.get("runs").size() - 1));
        if (recordsHashes) {
            ObjectNode entries = (ObjectNode) manifest.get("entries");
            editManifest("entries=null", root -> root.remove("entries"));
            editManifest("entries=[]", root -> root.set("entries", NODES.arrayNode()));
            // A consistent downgrade: a valid version 2 session with the same content, without the hashes.
            ObjectNode downgraded = manifest.deepCopy();
            downgraded.remove("entries");
            downgraded.put("formatVersion", 2);
            List<ZipForge.Part> changed = new ArrayList<>();
            for (ZipForge.Part part : parts) {
                changed.add(part.name().equals(SessionFile.MANIFEST)
                        ? ZipForge.Part.deflated(SessionFile.MANIFEST, JSON.writeValueAsBytes(downgraded)) : part);
            }
            add("manifest-downgraded-to-2", true, () -> ZipForge.write(changed));
            entries.fieldNames().forEachRemaining(entry -> {
                String hash = entries.get(entry).get("sha256").asText();
                String other = (hash.charAt(0) == '0' ? "1" : "0") + hash.substring(1);
                editEntry(entry, "sha256", NODES.textNode(other));
                editEntry(entry, "sha256", NODES.textNode("xyz"));
                editEntry(entry, "sha256", NODES.textNode(hash.toUpperCase(java.util.Locale.ROOT)));
                editEntry(entry, "size", NODES.numberNode(-1));
                editEntry(entry, "size", NODES.numberNode(entries.get(entry).get("size").asLong() + 1));
                editEntry(entry, "size", NODES.numberNode(3 * GiB));
                editManifest("entries." + entry + "-removed", root -> ((ObjectNode) root.get("entries")).remove(entry));
            });
            editManifest("entries.bogus", root -> ((ObjectNode) root.get("entries")).putObject("bogus.bin")
                    .put("size", 1).put("sha256", "0".repeat(64)));
        }
        String text = JSON.writeValueAsString(manifest);
        textManifest("duplicate-key-runs", "{\"runs\": []," + text.substring(1));
        textManifest("duplicate-key-format", "{\"format\": \"x\"," + text.substring(1));
        textManifest("trailing-brace", text + "}");
        textManifest("trailing-word", text + " x");
        textManifest("not-json", "manifest");
        textManifest("empty", "");
        textManifest("array", "[" + text + "]");
        textManifest("deep-nesting", text.replaceFirst("\\{", "{\"deep\":" + "[".repeat(5000) + "]".repeat(5000) + ","));
        // Concatenated, not through replaceFirst: the regex copies the replacement into a buffer that grows by doubling,
        // beside the 25 MB string, and the mutation run's 512 MB heap once ran out there (OutOfMemoryError in appendTail).
        replaceManifest("manifest-huge-string", () -> ("{\"huge\":\"" + "x".repeat(25 << 20) + "\"," + text.substring(1))
                .getBytes(StandardCharsets.UTF_8));
        textManifest("nul-bytes", text.replace("\"runs\"", "\"ru\u0000ns\""));
        byte[] binary = new byte[4096];
        random.nextBytes(binary);
        replaceManifest("manifest-binary", () -> binary);
    }

    private void editEntry(String entry, String field, JsonNode value) {
        editManifest("entries." + entry + "." + field + "=" + value,
                root -> ((ObjectNode) root.get("entries").get(entry)).set(field, value));
    }

    /**
     * Sets {@code path} ("a.b") under {@code node} to a JSON value, removes it (null), or changes a number
     * by one ("+1").
     */
    private static void set(ObjectNode node, String path, Object value) {
        String[] steps = path.split("\\.");
        ObjectNode parent = node;
        for (int i = 0; i < steps.length - 1; i++) {
            parent = (ObjectNode) parent.get(steps[i]);
        }
        String last = steps[steps.length - 1];
        if (value == null) {
            parent.remove(last);
        } else if ("+1".equals(value)) {
            parent.put(last, parent.get(last).asLong() + 1);
        } else {
            parent.set(last, (JsonNode) value);
        }
    }

    private void editManifest(String name, Consumer<ObjectNode> edit) {
        ObjectNode copy = manifest.deepCopy();
        edit.accept(copy);
        if (copy.equals(manifest)) {
            return; // the edit changes nothing in this session (a config it has not got)
        }
        replaceManifest("manifest-" + name, () -> {
            try {
                return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(copy);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private void textManifest(String name, String text) {
        replaceManifest("manifest-" + name, () -> text.getBytes(StandardCharsets.UTF_8));
    }

    private void replaceManifest(String name, Supplier<byte[]> bytes) {
        add(name, false, () -> {
            List<ZipForge.Part> changed = new ArrayList<>();
            for (ZipForge.Part part : parts) {
                changed.add(part.name().equals(SessionFile.MANIFEST)
                        ? ZipForge.Part.deflated(SessionFile.MANIFEST, bytes.get()) : part);
            }
            return ZipForge.write(changed);
        });
    }

    /** An entry's data changed and zipped again with a matching CRC: only the manifest's SHA-256 can tell. */
    private void consistentForgeries() throws IOException {
        for (int i = 0; i < parts.size(); i++) {
            ZipForge.Part part = parts.get(i);
            if (part.name().equals(SessionFile.MANIFEST)) {
                continue;
            }
            byte[] data = ZipForge.inflate(part);
            for (int k = 0; k < 3 && data.length > 0; k++) {
                byte[] forged = data.clone();
                forged[random.nextInt(forged.length)] ^= (byte) (1 + random.nextInt(255));
                replace(i, ZipForge.Part.deflated(part.name(), forged), "forged-" + part.name());
            }
            byte[] longer = java.util.Arrays.copyOf(data, data.length + 1);
            replace(i, ZipForge.Part.deflated(part.name(), longer), "forged-longer-" + part.name());
        }
    }

    /** Entries inflating to gigabytes, with honest headers and with headers claiming the original size. */
    private void bombs() {
        String[][] targets = {{SessionFile.INDEX, "3"}, {SessionFile.CONFIG, "1"}, {"runs/0.bin", "1"},
            {SessionFile.MANIFEST, "1"}};
        for (String[] target : targets) {
            long size = Long.parseLong(target[1]) * GiB;
            for (int i = 0; i < parts.size(); i++) {
                ZipForge.Part part = parts.get(i);
                if (part.name().equals(target[0])) {
                    ZipForge.Part bomb = ZipForge.zeroBomb(part.name(), size);
                    replace(i, bomb, "bomb-" + target[1] + "GiB-" + part.name());
                    replace(i, bomb.withSize(part.size()).withCrc(part.crc()), "lying-bomb-" + target[1] + "GiB-"
                            + part.name());
                }
            }
        }
    }
}
