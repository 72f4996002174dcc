package dev.kcovexplorer.app.model.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kcovexplorer.app.model.Coverage;
import dev.kcovexplorer.app.model.KernelInfo;
import dev.kcovexplorer.app.model.PathMapper;
import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.app.model.SeriesCut;
import dev.kcovexplorer.app.model.SeriesPoint;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.SessionRun;
import dev.kcovexplorer.app.model.fixture.FixtureSession;
import dev.kcovexplorer.app.model.fixture.InstrumentedProgram;
import dev.kcovexplorer.app.model.source.Sha256;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionFileTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static FixtureSession fixture;

    @TempDir
    Path dir;

    @BeforeAll
    static void fixture() throws Exception {
        InstrumentedProgram.requireTools();
        fixture = FixtureSession.get();
    }

    private Session richSession() {
        Session session = fixture.newSession();
        session.recolourRun("B", "#123456");
        KernelInfo info = new KernelInfo("6.1.0-test", "CONFIG_KCOV=y\n", "linux-source-6.1", "6.1.99-1",
                Map.of("fixture.c", "a".repeat(64)));
        return session.withKernel(info).withPaths(new PathMapper(fixture.index.compDir(), Map.of("/nowhere", "x")));
    }

    @Test
    void roundTripKeepsIndexRunsKernelFactsAndCoverage() throws IOException {
        Session original = richSession();
        Path file = dir.resolve("s.kcovx");
        SessionFile.write(original, file);
        Session read = SessionFile.read(file);

        KernelIndex a = original.index();
        KernelIndex b = read.index();
        assertThat(b.buildId()).isEqualTo(a.buildId());
        assertThat(b.arch()).isEqualTo(a.arch());
        assertThat(b.compDir()).isEqualTo(a.compDir());
        assertThat(b.rawPoints()).isEqualTo(a.rawPoints());
        assertThat(b.rawPointKinds()).isEqualTo(a.rawPointKinds());
        assertThat(b.rawChainStart()).isEqualTo(a.rawChainStart());
        assertThat(b.rawFrameFunction()).isEqualTo(a.rawFrameFunction());
        assertThat(b.rawFrameFile()).isEqualTo(a.rawFrameFile());
        assertThat(b.rawFrameLine()).isEqualTo(a.rawFrameLine());
        assertThat(b.rawStrings()).isEqualTo(a.rawStrings());
        assertThat(b.rawTailReturnAddresses()).isEqualTo(a.rawTailReturnAddresses());
        assertThat(b.rawTailCandidateStart()).isEqualTo(a.rawTailCandidateStart());
        assertThat(b.rawTailCandidates()).isEqualTo(a.rawTailCandidates());

        assertThat(read.kernel()).isEqualTo(original.kernel());
        assertThat(read.layout().paths().prefixRules()).isEqualTo(original.layout().paths().prefixRules());
        assertThat(read.runs()).hasSize(2);
        for (int i = 0; i < 2; i++) {
            SessionRun x = original.runs().get(i);
            SessionRun y = read.runs().get(i);
            assertThat(y.label()).isEqualTo(x.label());
            assertThat(y.colour()).isEqualTo(x.colour());
            assertThat(y.remoteSource()).isEqualTo(x.remoteSource());
            assertThat(y.mode()).isEqualTo(x.mode());
            assertThat(y.sourceFile()).isEqualTo(x.sourceFile());
            assertThat(y.entries()).isEqualTo(x.entries());
            assertThat(y.uniquePcs()).isEqualTo(x.uniquePcs());
            assertThat(y.hitCounts()).isEqualTo(x.hitCounts());
            assertThat(y.figures()).isEqualTo(x.figures());
            assertThat(y.points()).isEqualTo(x.points());
            Coverage cx = original.coverage(x);
            Coverage cy = read.coverage(y);
            for (int line = 0; line < original.layout().lineCount(); line++) {
                assertThat(cy.lineState(line)).isEqualTo(cx.lineState(line));
                assertThat(cy.lineHits(line)).isEqualTo(cx.lineHits(line));
            }
        }
    }

    @Test
    void sameSessionGivesTheSameBytesAndNoTemporaryFilesStay() throws IOException {
        Session session = richSession();
        SessionFile.write(session, dir.resolve("one.kcovx"));
        SessionFile.write(session, dir.resolve("two.kcovx"));
        assertThat(Files.readAllBytes(dir.resolve("one.kcovx"))).isEqualTo(Files.readAllBytes(dir.resolve("two.kcovx")));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("one.kcovx", "two.kcovx");
        }
        assertThat(Files.getPosixFilePermissions(dir.resolve("one.kcovx")))
                .as("a session is shared like any file, not owner-only like a temporary file")
                .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ);
    }

    @Test
    void truncatedFileNamesTheFileAndTheProblem() throws IOException {
        Path file = dir.resolve("s.kcovx");
        SessionFile.write(richSession(), file);
        byte[] bytes = Files.readAllBytes(file);
        for (int cut : new int[] {0, 10, bytes.length / 2, bytes.length - 30}) {
            Path truncated = dir.resolve("cut" + cut + ".kcovx");
            Files.write(truncated, java.util.Arrays.copyOf(bytes, cut));
            assertThatThrownBy(() -> SessionFile.read(truncated)).isInstanceOf(SessionFormatException.class)
                    .hasMessageStartingWith(truncated.toString() + ": ")
                    .hasMessageContaining("not a kcov-explorer session");
        }
    }

    @Test
    void corruptEntriesAreReportedByName() throws IOException {
        Path good = dir.resolve("good.kcovx");
        SessionFile.write(richSession(), good);

        Path noIndex = rewrite(good, "noindex.kcovx", (name, data) -> name.equals("index.bin") ? null : data);
        assertThatThrownBy(() -> SessionFile.read(noIndex)).isInstanceOf(SessionFormatException.class)
                .hasMessage(noIndex + ": missing entry 'index.bin' (expected the kernel index)");

        Path shortIndex = rewrite(good, "short.kcovx",
                (name, data) -> name.equals("index.bin") ? java.util.Arrays.copyOf(data, data.length / 3) : data);
        assertThatThrownBy(() -> SessionFile.read(shortIndex)).isInstanceOf(SessionFormatException.class)
                .hasMessageStartingWith(shortIndex + ": index.bin").hasMessageContaining("truncated");

        Path lying = rewrite(good, "lying.kcovx", (name, data) -> name.equals("manifest.json")
                ? new String(data, StandardCharsets.UTF_8).replaceFirst("\"coveredPoints\" : \\d+",
                        "\"coveredPoints\" : 99999").getBytes(StandardCharsets.UTF_8) : data);
        assertThatThrownBy(() -> SessionFile.read(lying)).isInstanceOf(SessionFormatException.class)
                .hasMessageContaining("covered points: the manifest says 99999");

        Path future = rewrite(good, "future.kcovx", (name, data) -> name.equals("manifest.json")
                ? new String(data, StandardCharsets.UTF_8).replaceFirst("\"formatVersion\" : \\d+", "\"formatVersion\" : 7")
                        .getBytes(StandardCharsets.UTF_8) : data);
        assertThatThrownBy(() -> SessionFile.read(future)).hasMessageContaining("version 7 is newer");

        Path badId = rewrite(good, "badid.kcovx", (name, data) -> {
            if (!name.equals("runs/0.bin")) {
                return data;
            }
            byte[] copy = data.clone();
            copy[0] = (byte) 0x7f;
            return copy;
        });
        assertThatThrownBy(() -> SessionFile.read(badId)).isInstanceOf(SessionFormatException.class)
                .hasMessageStartingWith(badId + ": runs/0.bin");
    }

    @Test
    void aDirectoryOrAnotherFileIsRefusedClearly() throws IOException {
        assertThatThrownBy(() -> SessionFile.read(dir)).hasMessage(dir + ": is a directory, expected a .kcovx session file");
        Path text = dir.resolve("notes.kcovx");
        Files.writeString(text, "hello");
        assertThatThrownBy(() -> SessionFile.read(text)).isInstanceOf(SessionFormatException.class)
                .hasMessageContaining("expected a ZIP container");
    }

    @Test
    void manifestFieldsAreCheckedAndTheWrongOneIsNamed() throws IOException {
        Path good = dir.resolve("good.kcovx");
        SessionFile.write(richSession(), good);
        String[][] cases = {
            {"\"coveredPoints\" : \\d+", "\"coveredPoints\" : 5766.5",
                "manifest.json: runs[0].coveredPoints: expected a non-negative integer, found 5766.5"},
            {"\"mode\" : \"pc\"", "\"mode\" : \"bogus\"", "runs[0].mode: expected one of pc, cmp, found \"bogus\""},
            {"\"entries\" : \\d+", "\"entries\" : -5", "runs[0].entries: expected a non-negative integer, found -5"},
            {"\"runs\" : \\[", "\"runs\" : {}, \"x\" : [", "runs: expected an array, found {}"},
            {"\"colour\" : \"#123456\"", "\"colour\" : \"red\"", "expected a colour #rrggbb, found \"red\""},
        };
        for (String[] c : cases) {
            Path edited = rewrite(good, "edited.kcovx", (name, data) -> name.equals("manifest.json")
                    ? new String(data, StandardCharsets.UTF_8).replaceFirst(c[0], c[1]).getBytes(StandardCharsets.UTF_8)
                    : data);
            assertThatThrownBy(() -> SessionFile.read(edited)).isInstanceOf(SessionFormatException.class)
                    .hasMessageStartingWith(edited + ": ").hasMessageContaining(c[2]);
        }
    }

    /**
     * A series' cut is read back as written, and one that does not say when or why is refused naming its field: the
     * window and the CLI print it as the reason a curve stops.
     */
    @Test
    void aSeriesCutIsReadBackAndAWrongOneIsNamed() throws IOException {
        Session session = fixture.newSession();
        SessionRun a = session.runs().get(0);
        SeriesCut cut = new SeriesCut(9.5, "the kernel oopsed");
        session.addSnapshot(RunInput.ofPcs("s@10s", a.uniquePcs(), a.figures().reading()), new SeriesPoint("s", 10),
                cut);
        Path good = dir.resolve("cut.kcovx");
        SessionFile.write(session, good);
        assertThat(SessionFile.read(good).series("s").orElseThrow().cut()).isEqualTo(cut);
        String[][] cases = {
            {"\"cutShortAt\" : 9.5", "\"cutShortAt\" : -1", "expected a number, 0 or more, found -1"},
            {"\"cutShortAt\" : 9.5,", "", "expected a number, 0 or more, found nothing"},
            {"\"cutShort\" : \"[^\"]*\"", "\"cutShort\" : \"\"", "expected what cut the campaign short"},
            {"\"cutShort\" : \"[^\"]*\"", "\"cutShort\" : 3", "expected a string, found 3"},
            {",\\s*\"cutShort\" : \"[^\"]*\"", "", "expected a string, found nothing"},
        };
        for (String[] c : cases) {
            Path edited = rewrite(good, "edited-cut.kcovx", (name, data) -> name.equals("manifest.json")
                    ? new String(data, StandardCharsets.UTF_8).replaceFirst(c[0], c[1]).getBytes(StandardCharsets.UTF_8)
                    : data);
            assertThatThrownBy(() -> SessionFile.read(edited)).isInstanceOf(SessionFormatException.class)
                    .hasMessageStartingWith(edited + ": ").hasMessageContaining("cutShort").hasMessageContaining(c[2]);
        }
    }

    /**
     * A reader from before series' cuts were kept (format version 4 at most, unknown manifest fields ignored) would show
     * a cut campaign's series as a complete one: a session holding a cut is written in a version such a reader refuses
     * ("newer than this kcov-explorer reads"); one without stays version 4 and opens there as it always did.
     */
    @Test
    void onlyASessionWithACutSeriesIsBeyondTheReadersThatKnowNoCuts() throws IOException {
        int newestWithoutCuts = 4;
        Session session = fixture.newSession();
        SessionRun a = session.runs().get(0);
        session.addSnapshot(RunInput.ofPcs("s@10s", a.uniquePcs(), a.figures().reading()), new SeriesPoint("s", 10),
                null);
        Path uncut = dir.resolve("uncut.kcovx");
        SessionFile.write(session, uncut);
        session.addSnapshot(RunInput.ofPcs("s@20s", a.uniquePcs(), a.figures().reading()), new SeriesPoint("s", 20),
                new SeriesCut(19.5, "the kernel oopsed"));
        Path cut = dir.resolve("cut.kcovx");
        SessionFile.write(session, cut);

        assertThat(formatVersion(uncut)).as("a session without cuts").isEqualTo(newestWithoutCuts);
        assertThat(formatVersion(cut)).as("a session with a cut series").isGreaterThan(newestWithoutCuts);
        assertThat(SessionFile.read(cut).series("s").orElseThrow().cut()).isEqualTo(new SeriesCut(19.5,
                "the kernel oopsed"));
    }

    private static int formatVersion(Path session) throws IOException {
        try (ZipFile zip = new ZipFile(session.toFile())) {
            return JSON.readTree(zip.getInputStream(zip.getEntry(SessionFile.MANIFEST))).path("formatVersion").asInt();
        }
    }

    @Test
    void duplicateEntriesCorruptDataAndChangedEntriesAreRefused() throws IOException {
        Path good = dir.resolve("good.kcovx");
        SessionFile.write(richSession(), good);
        java.util.List<ZipForge.Part> parts = ZipForge.parts(good);

        java.util.List<ZipForge.Part> twice = new java.util.ArrayList<>(parts);
        twice.add(parts.stream().filter(p -> p.name().equals("manifest.json")).findFirst().orElseThrow());
        Path duplicate = dir.resolve("duplicate.kcovx");
        Files.write(duplicate, ZipForge.write(twice));
        assertThatThrownBy(() -> SessionFile.read(duplicate))
                .hasMessage(duplicate + ": the entry 'manifest.json' occurs twice: a session names each entry once");

        Path flipped = dir.resolve("flipped.kcovx");
        Files.write(flipped, ZipForge.write(parts.stream().map(p -> p.name().equals("kernel.config")
                ? p.withCrc(p.crc() ^ 1) : p).toList()));
        assertThatThrownBy(() -> SessionFile.read(flipped)).hasMessageContaining("kernel.config is corrupt: CRC-32");

        Path forged = rewrite(good, "forged.kcovx", (name, data) -> name.equals("kernel.config")
                ? "CONFIG_KCOV=n\n".getBytes(StandardCharsets.UTF_8) : data);
        assertThatThrownBy(() -> SessionFile.read(forged))
                .hasMessage(forged + ": kernel.config is not the data the session was written with: its SHA-256 differs "
                        + "from the manifest's");
    }

    /**
     * Every other entry is checked before the kernel index is inflated: with both the index and the last run
     * broken, the run is what the refusal names (a broken session is refused without reading the index).
     */
    @Test
    void theSmallEntriesAreCheckedBeforeTheIndexIsRead() throws IOException {
        Path good = dir.resolve("good.kcovx");
        SessionFile.write(richSession(), good);
        Path both = rewrite(good, "both.kcovx", (name, data) -> {
            if (name.equals("index.bin")) {
                return java.util.Arrays.copyOf(data, data.length / 3);
            }
            if (!name.equals("runs/1.bin")) {
                return data;
            }
            byte[] changed = data.clone();
            changed[changed.length - 1] ^= 1;
            return changed;
        });
        assertThatThrownBy(() -> SessionFile.read(both)).isInstanceOf(SessionFormatException.class)
                .hasMessage(both + ": runs/1.bin is not the data the session was written with: its SHA-256 differs "
                        + "from the manifest's");
    }

    /**
     * The index is hashed on another thread while it is decoded: whether the bytes decode (a valid index of
     * another kernel) or not (one flipped bit, which the index's own checksum catches), the refusal is the
     * manifest's hash, and no session comes back.
     */
    @Test
    void anIndexOtherThanTheManifestsIsRefusedForItsHashWhileItIsDecoded() throws IOException {
        Path good = dir.resolve("good.kcovx");
        SessionFile.write(richSession(), good);
        Path swapped = rewrite(good, "swapped.kcovx", (name, data) -> name.equals("index.bin") ? otherKernel(data) : data);
        Path flipped = rewrite(good, "flipped-index.kcovx", (name, data) -> {
            if (!name.equals("index.bin")) {
                return data;
            }
            byte[] changed = data.clone();
            changed[changed.length / 2] ^= 1;
            return changed;
        });
        for (Path forged : java.util.List.of(swapped, flipped)) {
            assertThatThrownBy(() -> SessionFile.read(forged)).isInstanceOf(SessionFormatException.class)
                    .hasMessage(forged + ": index.bin is not the data the session was written with: its SHA-256 "
                            + "differs from the manifest's");
        }
    }

    /**
     * The manifest records the SHA-256 of the index's record as the container stores it, from its local header to
     * the next entry's (offsets read here by commons-compress, another ZIP reader), followed by the data's hash: the
     * reader hashes those 6× fewer bytes, and what it inflates from them is the data the container's own reader gives.
     */
    @Test
    void theIndexRecordIsHashedAsStoredAndInflatesToTheEntrysData() throws IOException {
        Path file = dir.resolve("s.kcovx");
        SessionFile.write(richSession(), file);
        long start;
        long end;
        try (org.apache.commons.compress.archivers.zip.ZipFile zip = org.apache.commons.compress.archivers.zip.ZipFile
                .builder().setFile(file.toFile()).get()) {
            java.util.List<Long> offsets = java.util.Collections.list(zip.getEntries()).stream()
                    .map(org.apache.commons.compress.archivers.zip.ZipArchiveEntry::getLocalHeaderOffset).sorted().toList();
            start = zip.getEntry("index.bin").getLocalHeaderOffset();
            end = offsets.get(offsets.indexOf(start) + 1);
        }
        byte[] record = java.util.Arrays.copyOfRange(Files.readAllBytes(file), (int) start, (int) end);
        byte[] data;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            data = zip.getInputStream(zip.getEntry("index.bin")).readAllBytes();
        }
        SessionManifest.EntryFacts facts;
        try (SessionEntries entries = SessionEntries.open(file)) {
            facts = SessionManifest.parse(entries.read("manifest.json", "the manifest", 1 << 20, null), file)
                    .entries().get("index.bin");
            byte[] recordThenDataHash = java.util.Arrays.copyOf(record, record.length + 64);
            System.arraycopy(facts.sha256().getBytes(StandardCharsets.US_ASCII), 0, recordThenDataHash, record.length, 64);
            assertThat(facts.recordSha256()).isEqualTo(Sha256.of(recordThenDataHash));
            assertThat(facts.sha256()).isEqualTo(Sha256.of(data));
            assertThat(record.length).isLessThan(data.length / 2);
            assertThat(entries.readRecordChecked("index.bin", 1 << 30, facts)).isEqualTo(data);
        }
    }

    /**
     * The record's hash only vouches for bytes as the writer stored them: a session re-packed by another tool (other
     * headers, another deflate stream, the same data) is checked by its data's SHA-256 and opens as before.
     */
    @Test
    void aSessionRepackedWithTheSameDataOpensByItsDataHash() throws IOException {
        Session original = richSession();
        Path good = dir.resolve("good.kcovx");
        SessionFile.write(original, good);
        Path repacked = dir.resolve("repacked.kcovx");
        Files.write(repacked, ZipForge.write(ZipForge.parts(good)));
        try (SessionEntries entries = SessionEntries.open(repacked)) {
            SessionManifest.EntryFacts facts = SessionManifest.parse(entries.read("manifest.json", "the manifest",
                    1 << 20, null), repacked).entries().get("index.bin");
            assertThat(facts.recordSha256()).as("the writer's record hash, kept in the manifest").isNotNull();
            assertThat(entries.readRecordChecked("index.bin", 1 << 30, facts)).as("not the writer's record").isNull();
        }
        Session read = SessionFile.read(repacked);
        assertThat(read.index().rawPoints()).isEqualTo(original.index().rawPoints());
        assertThat(read.runs()).hasSameSizeAs(original.runs());
    }

    /**
     * The record's hash covers the manifest's hash of the data too: a manifest whose index hash was changed, beside an
     * index record the writer's to the byte, is refused as before, not taken on the record's word.
     */
    @Test
    void aChangedDataHashBesideTheWritersRecordIsRefused() throws IOException {
        Path good = dir.resolve("good.kcovx");
        SessionFile.write(richSession(), good);
        Path same = rewrite(good, "same.kcovx", (name, data) -> data);
        Path edited = rewrite(good, "edited.kcovx", (name, data) -> {
            if (!name.equals("manifest.json")) {
                return data;
            }
            try {
                ObjectNode root = (ObjectNode) JSON.readTree(data);
                ObjectNode index = (ObjectNode) root.get("entries").get("index.bin");
                String hash = index.get("sha256").asText();
                index.put("sha256", (hash.charAt(0) == '0' ? "1" : "0") + hash.substring(1));
                return JSON.writeValueAsBytes(root);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try (SessionEntries entries = SessionEntries.open(same)) {
            SessionManifest.EntryFacts facts = SessionManifest.parse(entries.read("manifest.json", "the manifest",
                    1 << 20, null), same).entries().get("index.bin");
            assertThat(entries.readRecordChecked("index.bin", 1 << 30, facts)).as("the writer's record, rewritten")
                    .isNotNull();
        }
        assertThatThrownBy(() -> SessionFile.read(edited)).isInstanceOf(SessionFormatException.class)
                .hasMessage(edited + ": index.bin is not the data the session was written with: its SHA-256 differs "
                        + "from the manifest's");
    }

    /**
     * Another kernel's index of the same size: the compile directory's last letter changed and the index's own
     * checksum recomputed, so that it decodes.
     */
    private static byte[] otherKernel(byte[] index) {
        byte[] other = index.clone();
        byte[] compDir = fixture.index.compDir().getBytes(StandardCharsets.UTF_8);
        int at = indexOf(other, compDir) + compDir.length - 1;
        other[at] = (byte) (other[at] == 'x' ? 'y' : 'x');
        java.nio.ByteBuffer header = java.nio.ByteBuffer.wrap(other).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(other, 24, (int) header.getLong(16));
        header.putInt(12, (int) crc.getValue());
        assertThat(dev.kcovexplorer.symbolizer.index.KernelIndexCodec.read(java.nio.ByteBuffer.wrap(other)).compDir())
                .as("the swapped-in index decodes").isNotEqualTo(fixture.index.compDir());
        return other;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not in the index");
    }


    @Test
    void aBombIsRefusedBeforeItIsInflated() throws IOException {
        Path good = dir.resolve("good.kcovx");
        SessionFile.write(richSession(), good);
        java.util.List<ZipForge.Part> parts = ZipForge.parts(good);
        Path bomb = dir.resolve("bomb.kcovx");
        Files.write(bomb, ZipForge.write(parts.stream().map(p -> p.name().equals("index.bin")
                ? ZipForge.zeroBomb("index.bin", 3L << 30) : p).toList()));
        assertThatThrownBy(() -> SessionFile.read(bomb)).isInstanceOf(SessionFormatException.class)
                .hasMessageContaining("index.bin holds 3221225472 bytes, the manifest says");

        Path lying = dir.resolve("lying.kcovx");
        Files.write(lying, ZipForge.write(parts.stream().map(p -> p.name().equals("index.bin")
                ? ZipForge.zeroBomb("index.bin", 3L << 30).withSize(p.size()).withCrc(p.crc()) : p).toList()));
        assertThatThrownBy(() -> SessionFile.read(lying)).isInstanceOf(SessionFormatException.class)
                .hasMessageContaining("index.bin inflates to more than the");
    }

    /** Copies a session, passing every entry through {@code change} (null drops it). */
    private Path rewrite(Path source, String name, java.util.function.BiFunction<String, byte[], byte[]> change)
            throws IOException {
        Path target = dir.resolve(name);
        try (ZipFile in = new ZipFile(source.toFile());
             OutputStream raw = Files.newOutputStream(target);
             ZipOutputStream out = new ZipOutputStream(raw)) {
            for (ZipEntry entry : java.util.Collections.list(in.entries())) {
                byte[] data = change.apply(entry.getName(), in.getInputStream(entry).readAllBytes());
                if (data != null) {
                    ZipEntry copy = new ZipEntry(entry.getName());
                    copy.setTime(315_532_800_000L); // the writer's: unchanged entries keep their records' bytes
                    out.putNextEntry(copy);
                    out.write(data);
                    out.closeEntry();
                }
            }
        }
        return target;
    }
}
