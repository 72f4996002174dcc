package dev.kcovexplorer.app.model.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kcovexplorer.app.model.AttributionFigures;
import dev.kcovexplorer.app.model.KernelInfo;
import dev.kcovexplorer.app.model.PathMapper;
import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.SessionRun;
import dev.kcovexplorer.app.model.cmp.ComparisonSummary;
import dev.kcovexplorer.kcov.AtomicFiles;
import dev.kcovexplorer.kcov.PcKind;
import dev.kcovexplorer.symbolizer.index.IndexFormatException;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import dev.kcovexplorer.symbolizer.index.KernelIndexCodec;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The {@code .kcovx} session file: one ZIP container that opens without the vmlinux and without the
 * sources. Entries: {@code manifest.json} (format version, kernel facts, runs with labels, colours,
 * remote sources, modes and attribution figures, source hashes, and the counts the rest must match),
 * {@code index.bin} (the kernel index in the symbolizer's {@link KernelIndexCodec} form, which the index
 * cache uses too), {@code kernel.config} (when known), {@code runs/N.bin} (unique PCs and hit counts)
 * and, for TRACE_CMP runs, {@code cmp/N.bin} (their records summarized per ip: {@link ComparisonSummaryCodec}).
 * Entry times are fixed so the same session gives the same bytes. Version 2 added the comparison sites
 * to the index and the {@code cmp/} entries; version 1 sessions still open, without comparison values.
 */
public final class SessionFile {
    public static final String FORMAT = "kcov-explorer-session";
    public static final int FORMAT_VERSION = 2;
    static final String MANIFEST = "manifest.json";
    static final String INDEX = "index.bin";
    static final String CONFIG = "kernel.config";
    /** 1980-01-01, the first instant a ZIP timestamp can hold: reproducible bytes. */
    private static final long ENTRY_TIME = 315_532_800_000L;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Entries up to this size are read into one array of their stated size (a whole kernel's index is ~35 MB). */
    private static final long PRESIZED_LIMIT = 1L << 28;

    private SessionFile() {
    }

    /** Writes atomically: a temporary file next to {@code file}, renamed over it when complete. */
    public static void write(Session session, Path file) throws IOException {
        // One list for the manifest and the data: runs may change meanwhile (a live run growing).
        List<SessionRun> runs = session.runs();
        AtomicFiles.write(file, raw -> {
            ZipOutputStream zip = new ZipOutputStream(raw);
            zip.setLevel(Deflater.BEST_COMPRESSION);
            putEntry(zip, MANIFEST, JSON.writeValueAsBytes(manifest(session, runs)));
            DataOutputStream index = openEntry(zip, INDEX);
            KernelIndexCodec.write(session.index(), index);
            index.flush();
            zip.closeEntry();
            if (session.kernel().config() != null) {
                putEntry(zip, CONFIG, session.kernel().config().getBytes(StandardCharsets.UTF_8));
            }
            int n = 0;
            for (SessionRun run : runs) {
                DataOutputStream out = openEntry(zip, runEntry(n));
                RunCodec.write(run.uniquePcs(), run.hitCounts(), out);
                out.flush();
                zip.closeEntry();
                if (hasComparisonValues(run)) {
                    DataOutputStream cmp = openEntry(zip, comparisonEntry(n));
                    ComparisonSummaryCodec.write(run.input().comparisons(), cmp);
                    cmp.flush();
                    zip.closeEntry();
                }
                n++;
            }
            zip.finish();
        });
    }

    /** Reads a session; every count the manifest states is checked against what the entries hold. */
    public static Session read(Path file) throws IOException {
        try (ZipFile zip = openZip(file)) {
            JsonNode manifest = readManifest(zip, file);
            long indexSize = zip.getEntry(INDEX) == null ? -1 : zip.getEntry(INDEX).getSize();
            KernelIndex index = readEntry(zip, file, INDEX, "the kernel index",
                    in -> KernelIndexCodec.read(ByteBuffer.wrap(readAll(in, indexSize))));
            JsonNode indexFacts = field(manifest, "index", file);
            expectCount(file, "index points", longField(indexFacts, "points", file), index.pointCount());
            expectCount(file, "index frames", longField(indexFacts, "frames", file), index.frameCount());
            expectCount(file, "index strings", longField(indexFacts, "strings", file), index.stringCount());
            JsonNode kernel = field(manifest, "kernel", file);
            String config = zip.getEntry(CONFIG) == null ? null
                    : readEntry(zip, file, CONFIG, "the kernel config", in -> new String(in.readAllBytes(),
                            StandardCharsets.UTF_8));
            Map<String, String> hashes = new LinkedHashMap<>();
            manifest.path("sources").fields().forEachRemaining(e -> hashes.put(e.getKey(), e.getValue().asText()));
            KernelInfo info = new KernelInfo(text(kernel, "release"), config, text(kernel, "sourcePackage"),
                    text(kernel, "sourceVersion"), hashes);
            Map<String, String> prefixMap = new LinkedHashMap<>();
            manifest.path("paths").path("prefixMap").fields()
                    .forEachRemaining(e -> prefixMap.put(e.getKey(), e.getValue().asText()));
            Session session = Session.create(index, new PathMapper(index.compDir(), prefixMap), info, null);
            JsonNode runs = field(manifest, "runs", file);
            for (int n = 0; n < runs.size(); n++) {
                readRun(zip, file, session, runs.get(n), n);
            }
            return session;
        }
    }

    /**
     * The run labels in session order, from the manifest alone: lets a command check run names and
     * expressions in a moment, before it reads the kernel index.
     */
    public static List<String> runLabels(Path file) throws IOException {
        try (ZipFile zip = openZip(file)) {
            JsonNode runs = field(readManifest(zip, file), "runs", file);
            List<String> labels = new java.util.ArrayList<>();
            for (JsonNode run : runs) {
                labels.add(text(run, "label"));
            }
            return labels;
        }
    }

    private static void readRun(ZipFile zip, Path file, Session session, JsonNode run, int n) throws IOException {
        String label = text(run, "label");
        if (label == null) {
            throw new SessionFormatException(file, MANIFEST + ": run " + n + " has no label");
        }
        RunCodec.Pcs pcs = readEntry(zip, file, runEntry(n), "the PCs of run '" + label + "'", RunCodec::read);
        expectCount(file, "run '" + label + "' unique PCs", longField(run, "uniquePcs", file), pcs.uniquePcs().length);
        ComparisonSummary comparisons = null;
        JsonNode cmp = run.path("comparisons");
        if (!cmp.isMissingNode()) {
            comparisons = readEntry(zip, file, comparisonEntry(n), "the comparisons of run '" + label + "'",
                    in -> ComparisonSummaryCodec.read(in, pcs.uniquePcs()));
            expectCount(file, "run '" + label + "' comparison records", longField(cmp, "records", file),
                    comparisons.totalRecords());
        }
        RunInput input;
        try {
            input = new RunInput(label, text(run, "colour"), text(run, "remoteSource"),
                    run.path("mode").asText("pc"), text(run, "sourceFile"), run.path("entries").asLong(),
                    run.path("overflow").asBoolean(), pcs.uniquePcs(), pcs.hitCounts(),
                    PcKind.parse(run.path("pcKind").asText("unknown")), comparisons);
        } catch (IllegalArgumentException e) {
            throw new SessionFormatException(file, MANIFEST + ": run '" + label + "': " + e.getMessage());
        }
        SessionRun added;
        try {
            added = session.addRun(input, figures(run.path("attribution"), input.reading()));
        } catch (IllegalArgumentException e) {
            throw new SessionFormatException(file, "run '" + label + "': " + e.getMessage());
        }
        expectCount(file, "run '" + label + "' covered points", longField(run, "coveredPoints", file),
                added.points().hitCount());
    }

    private static ObjectNode manifest(Session session, List<SessionRun> sessionRuns) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("formatVersion", FORMAT_VERSION);
        KernelIndex index = session.index();
        KernelInfo info = session.kernel();
        ObjectNode kernel = root.putObject("kernel");
        kernel.put("buildId", index.buildId());
        kernel.put("arch", index.arch());
        kernel.put("compDir", index.compDir());
        kernel.put("release", info.release());
        kernel.put("sourcePackage", info.sourcePackage());
        kernel.put("sourceVersion", info.sourceVersion());
        kernel.put("config", info.config() == null ? null : CONFIG);
        ObjectNode prefixMap = root.putObject("paths").putObject("prefixMap");
        session.layout().paths().prefixRules().forEach(rule -> prefixMap.put(rule.getKey(), rule.getValue()));
        ObjectNode indexFacts = root.putObject("index");
        indexFacts.put("entry", INDEX);
        // an old session's index stays what it was
        indexFacts.put("codec", "KernelIndexCodec " + KernelIndexCodec.versionOf(index));
        indexFacts.put("remoteSites", index.hasRemoteSites() ? index.remoteSites().count() : null);
        if (index.hasComparisonSites()) {
            indexFacts.put("comparisonSites", index.comparisonSites().pointCount());
        }
        indexFacts.put("points", index.pointCount());
        indexFacts.put("frames", index.frameCount());
        indexFacts.put("strings", index.stringCount());
        indexFacts.put("tailReturnAddresses", index.tailReturnAddressCount());
        indexFacts.put("files", session.layout().fileCount());
        indexFacts.put("lines", session.layout().lineCount());
        indexFacts.put("functions", session.layout().functionCount());
        ArrayNode runs = root.putArray("runs");
        int n = 0;
        for (SessionRun run : sessionRuns) {
            ObjectNode r = runs.addObject();
            r.put("label", run.label());
            r.put("colour", run.colour());
            r.put("remoteSource", run.remoteSource());
            r.put("mode", run.mode());
            r.put("sourceFile", run.sourceFile());
            r.put("entries", run.entries());
            r.put("overflow", run.overflow());
            r.put("pcKind", run.figures().reading().id());
            r.put("uniquePcs", run.uniquePcCount());
            r.put("coveredPoints", run.points().hitCount());
            if (hasComparisonValues(run)) {
                ObjectNode cmp = r.putObject("comparisons");
                cmp.put("entry", comparisonEntry(n));
                cmp.put("ips", run.input().comparisons().ipCount());
                cmp.put("records", run.input().comparisons().totalRecords());
                cmp.put("pairsKeptPerIp", run.input().comparisons().top());
            }
            r.put("entry", runEntry(n++));
            r.set("attribution", figuresJson(run.figures()));
        }
        ObjectNode sources = root.putObject("sources");
        info.sourceHashes().forEach(sources::put);
        return root;
    }

    /** The attribution figures as the manifest and the JSON report spell them. */
    public static ObjectNode figuresJson(AttributionFigures f) {
        ObjectNode node = JSON.createObjectNode();
        node.put("pcKind", f.reading().id());
        node.put("uniquePcs", f.uniquePcs());
        node.put("matched", f.matched());
        node.put("attributedExact", f.attributedExact());
        node.put("attributedCandidates", f.attributedCandidates());
        node.put("unresolved", f.unresolved());
        node.put("returnAddressRate", f.returnAddressRate());
        node.put("callSiteRate", f.callSiteRate());
        ObjectNode reasons = node.putObject("unresolvedReasons");
        f.unresolvedReasons().forEach(reasons::put);
        if (f.warning() != null) {
            node.put("warning", f.warning());
        }
        return node;
    }

    private static AttributionFigures figures(JsonNode node, PcKind reading) {
        if (node.isMissingNode()) {
            return null;
        }
        Map<String, Integer> reasons = new LinkedHashMap<>();
        node.path("unresolvedReasons").fields().forEachRemaining(e -> reasons.put(e.getKey(), e.getValue().asInt()));
        return new AttributionFigures(reading == PcKind.UNKNOWN ? PcKind.RETURN_ADDRESS : reading,
                node.path("uniquePcs").asInt(), node.path("matched").asInt(), node.path("attributedExact").asInt(),
                node.path("attributedCandidates").asInt(), node.path("unresolved").asInt(),
                node.path("returnAddressRate").asDouble(), node.path("callSiteRate").asDouble(), reasons);
    }

    private static ZipFile openZip(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new SessionFormatException(file, "is a directory, expected a .kcovx session file");
        }
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new SessionFormatException(file, "not a kcov-explorer session: expected a ZIP container ("
                    + e.getMessage() + "; truncated or another kind of file?)", e);
        }
    }

    private static JsonNode readManifest(ZipFile zip, Path file) throws IOException {
        JsonNode manifest = readEntry(zip, file, MANIFEST, "the session manifest", in -> {
            try {
                return JSON.readTree(in.readAllBytes());
            } catch (JsonProcessingException e) {
                throw new IOException("not valid JSON: " + e.getOriginalMessage(), e);
            }
        });
        if (manifest == null || !FORMAT.equals(manifest.path("format").asText())) {
            throw new SessionFormatException(file, MANIFEST + " does not say \"format\": \"" + FORMAT + "\"");
        }
        int version = manifest.path("formatVersion").asInt(-1);
        if (version > FORMAT_VERSION) {
            throw new SessionFormatException(file, "session format version " + version
                    + " is newer than this kcov-explorer reads (" + FORMAT_VERSION + "); update kcov-explorer");
        }
        if (version < 1) {
            throw new SessionFormatException(file, MANIFEST + " has no valid formatVersion");
        }
        return manifest;
    }

    /** What an entry decoder does; its IOExceptions are reported with the file and entry name. */
    @FunctionalInterface
    private interface EntryReader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static <T> T readEntry(ZipFile zip, Path file, String name, String what, EntryReader<T> reader)
            throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new SessionFormatException(file, "missing entry '" + name + "' (expected " + what + ")");
        }
        try (InputStream raw = zip.getInputStream(entry);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            T value = reader.read(in);
            if (in.read() >= 0) {
                throw new IOException("unexpected data after the end");
            }
            return value;
        } catch (EOFException e) {
            throw new SessionFormatException(file, name + " is truncated (expected " + what + " to go on)", e);
        } catch (ZipException e) {
            throw new SessionFormatException(file, name + " is corrupt (" + e.getMessage() + ")", e);
        } catch (SessionFormatException e) {
            throw e;
        } catch (IOException | IllegalArgumentException | IndexFormatException e) {
            throw new SessionFormatException(file, name + " (" + what + "): " + e.getMessage(), e);
        }
    }

    /**
     * The rest of {@code in} in one array of the size the ZIP states (-1: unknown), instead of the copies a
     * growing buffer makes of a 35 MB index; a size beyond {@link #PRESIZED_LIMIT} is not trusted that far.
     */
    private static byte[] readAll(InputStream in, long statedSize) throws IOException {
        if (statedSize < 0 || statedSize > PRESIZED_LIMIT) {
            return in.readAllBytes();
        }
        byte[] bytes = new byte[(int) statedSize];
        if (in.readNBytes(bytes, 0, bytes.length) < bytes.length) {
            throw new EOFException("the entry is shorter than the ZIP says");
        }
        return bytes;
    }

    private static JsonNode field(JsonNode node, String name, Path file) throws SessionFormatException {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new SessionFormatException(file, MANIFEST + " lacks \"" + name + "\"");
        }
        return value;
    }

    private static long longField(JsonNode node, String name, Path file) throws SessionFormatException {
        JsonNode value = field(node, name, file);
        if (!value.canConvertToLong()) {
            throw new SessionFormatException(file, MANIFEST + ": \"" + name + "\" is not a number");
        }
        return value.asLong();
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static void expectCount(Path file, String what, long stated, long actual) throws SessionFormatException {
        if (stated != actual) {
            throw new SessionFormatException(file, what + ": the manifest says " + stated + ", the data holds "
                    + actual + " (a broken or hand-edited session)");
        }
    }

    private static String runEntry(int n) {
        return "runs/" + n + ".bin";
    }

    private static String comparisonEntry(int n) {
        return "cmp/" + n + ".bin";
    }

    private static boolean hasComparisonValues(SessionRun run) {
        return run.input().comparisons() != null && run.input().comparisons().hasValues();
    }

    private static void putEntry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(ENTRY_TIME);
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }

    private static DataOutputStream openEntry(ZipOutputStream zip, String name) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(ENTRY_TIME);
        zip.putNextEntry(entry);
        return new DataOutputStream(new BufferedOutputStream(new NonClosing(zip), 1 << 16));
    }

    /** Lets entry writers be buffered without closing the ZIP stream under them. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
