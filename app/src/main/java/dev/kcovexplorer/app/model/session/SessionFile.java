package dev.kcovexplorer.app.model.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kcovexplorer.app.model.AttributionFigures;
import dev.kcovexplorer.app.model.KernelInfo;
import dev.kcovexplorer.app.model.PathMapper;
import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.app.model.SeriesPoint;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.SessionRun;
import dev.kcovexplorer.app.model.cmp.ComparisonSummary;
import dev.kcovexplorer.app.model.source.Sha256;
import dev.kcovexplorer.app.model.modules.SessionModules;
import dev.kcovexplorer.kcov.AtomicFiles;
import dev.kcovexplorer.kcov.ModuleLayout;
import dev.kcovexplorer.kcov.ModuleLayoutReader;
import dev.kcovexplorer.kcov.ModuleLayoutWriter;
import dev.kcovexplorer.kcov.Printable;
import dev.kcovexplorer.symbolizer.index.IndexFormatException;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import dev.kcovexplorer.symbolizer.index.KernelIndexCodec;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.StringReader;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The {@code .kcovx} session file: one ZIP container that opens without the vmlinux and without the
 * sources. Entries: {@code manifest.json} (format version, kernel facts, runs with labels, colours,
 * remote sources, modes and attribution figures, source hashes, and the counts the rest must match),
 * {@code index.bin} (the kernel index in the symbolizer's {@link KernelIndexCodec} form, which the index
 * cache uses too), {@code kernel.config} (when known), {@code runs/N.bin} (unique PCs and hit counts)
 * and, for TRACE_CMP runs, {@code cmp/N.bin} (their records summarized per ip: {@link ComparisonSummaryCodec}).
 * Entry times are fixed so the same session gives the same bytes. Version 2 added the comparison sites
 * to the index and the {@code cmp/} entries; version 3 the manifest's {@code entries}, the size and
 * SHA-256 of every other entry, and put the manifest last; version 4 loadable modules: the manifest's
 * {@code modules} (each module's code sections at their session addresses), {@code modules/N.bin} (each
 * module's index, placed there), {@code layouts/N.layout} (where the boot that recorded run N had its
 * modules) and run entries whose module PCs are {@code (module, section, offset)}. Sessions written since
 * December 2026 also record the SHA-256 of the kernel index's record as stored ({@code recordSha256}, an optional
 * field that older readers ignore): checking it instead of the inflated data's hash spares 0.3 s of a start's CPU.
 * Version 5 is a cut campaign's series ({@code cutShort}, the reason, and {@code cutShortAt} in each snapshot's
 * {@code series}), and only a session that holds one is written as version 5: a reader of version 4, which ignores
 * fields it does not know, would show the cut campaign as a complete one, so it must refuse the file ("newer than
 * this kcov-explorer reads"), while every other session stays version 4 and opens there. (Version 4 files written
 * before this rule may hold cuts too; they are read with them.) Versions 1 to 3 still open (1 and 2 checked by the
 * ZIP's CRC-32 and the manifest's counts only); version 1 without comparison values.
 */
public final class SessionFile {
    public static final String FORMAT = "kcov-explorer-session";
    public static final int FORMAT_VERSION = 5;
    /** The version of a session without a cut series: the newest that readers which know no cuts open. */
    static final int VERSION_WITHOUT_CUTS = 4;
    static final String MANIFEST = "manifest.json";
    static final String INDEX = "index.bin";
    static final String CONFIG = "kernel.config";
    /** The most each kind of entry may hold: far above real sessions, far below what would exhaust memory. */
    static final long MAX_MANIFEST_BYTES = 64L << 20;
    static final long MAX_INDEX_BYTES = 1L << 30;
    static final long MAX_CONFIG_BYTES = 16L << 20;
    static final long MAX_COMPARISON_BYTES = 256L << 20;
    static final long MAX_LAYOUT_BYTES = 16L << 20;
    /** 1980-01-01, the first instant a ZIP timestamp can hold: reproducible bytes. */
    private static final long ENTRY_TIME = 315_532_800_000L;
    /** Only writing needs it: a start that reads a session spares its construction (the reader parses with its own). */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private SessionFile() {
    }

    /**
     * Writes atomically: a temporary file next to {@code file}, renamed over it when complete. The manifest
     * comes last so that it can record the size and SHA-256 of every other entry.
     */
    public static void write(Session session, Path file) throws IOException {
        write(session, file, () -> true);
    }

    /**
     * Writes as {@link #write(Session, Path)} does, putting the file in place only when {@code commit}, asked once
     * when the file is complete, says yes ({@link AtomicFiles#write(Path, AtomicFiles.Content, AtomicFiles.Commit)}).
     */
    public static void write(Session session, Path file, AtomicFiles.Commit commit) throws IOException {
        // One list for the manifest and the data: runs may change meanwhile (a live run growing).
        List<SessionRun> runs = session.runs();
        AtomicFiles.write(file, raw -> {
            // The container's bytes on their way to the file, hashed around one entry's putNextEntry and closeEntry:
            // its whole record (local header, deflated data, data descriptor), from its local header to the next one's.
            DigestOutputStream tap = new DigestOutputStream(raw, Sha256.newDigest());
            tap.on(false);
            ZipOutputStream zip = new ZipOutputStream(tap);
            // Deflate's default level, not its best: on the demo's 45 MB index the best took 7.6-11.7 s of one core
            // to save 1.6% (7.61 MB against 7.73 MB in 1.2-2.3 s); reading is as fast either way.
            zip.setLevel(Deflater.DEFAULT_COMPRESSION);
            Map<String, EntryDigest> entries = new LinkedHashMap<>();
            // The index's record is hashed as stored too: a reader hashes its 7.6 MB instead of the 45 MB they inflate to.
            tap.on(true);
            EntryDigest index = writeEntry(zip, INDEX, out -> KernelIndexCodec.write(session.kernelIndex(), out));
            tap.on(false);
            entries.put(INDEX, index.withRecord(SessionEntries.recordHash(tap.getMessageDigest(), index.sha256())));
            List<SessionModules.Module> modules = session.modules().modules();
            for (int m = 0; m < modules.size(); m++) {
                KernelIndex moduleIndex = modules.get(m).index();
                entries.put(moduleEntry(m), writeEntry(zip, moduleEntry(m), out -> KernelIndexCodec.write(moduleIndex, out)));
            }
            if (session.kernel().config() != null) {
                byte[] config = session.kernel().config().getBytes(StandardCharsets.UTF_8);
                entries.put(CONFIG, writeEntry(zip, CONFIG, out -> out.write(config)));
            }
            int n = 0;
            for (SessionRun run : runs) {
                entries.put(runEntry(n), writeEntry(zip, runEntry(n),
                        out -> RunCodec.writeWithModules(run.uniquePcs(), run.hitCounts(), session.modules(), out)));
                if (hasLayout(run)) {
                    byte[] layout = ModuleLayoutWriter.text(run.layout(), "the recording of run " + run.label())
                            .getBytes(StandardCharsets.UTF_8);
                    entries.put(layoutEntry(n), writeEntry(zip, layoutEntry(n), out -> out.write(layout)));
                }
                if (hasComparisonValues(run)) {
                    entries.put(comparisonEntry(n), writeEntry(zip, comparisonEntry(n),
                            out -> ComparisonSummaryCodec.write(run.input().comparisons(), out)));
                }
                n++;
            }
            ObjectNode manifest = manifest(session, runs);
            ObjectNode facts = manifest.putObject("entries");
            entries.forEach((name, digest) -> {
                ObjectNode fact = facts.putObject(name).put("size", digest.size()).put("sha256", digest.sha256());
                if (digest.recordSha256() != null) {
                    fact.put("recordSha256", digest.recordSha256());
                }
            });
            writeEntry(zip, MANIFEST, out -> out.write(Json.MAPPER.writeValueAsBytes(manifest)));
            zip.finish();
        }, commit);
    }

    /**
     * Reads a session; every entry is checked (size, CRC-32, and the SHA-256 the manifest records) before
     * it is decoded, and every count the manifest states is checked against what the entries hold. The kernel
     * index comes last: everything that can be checked without it (the config, the modules' indexes, the runs'
     * PCs, comparisons and layouts) is checked first, so a broken session is refused in milliseconds rather
     * than after its tens of megabytes of index are inflated and decoded.
     */
    public static Session read(Path file) throws IOException {
        try (SessionEntries zip = SessionEntries.open(file)) {
            SessionManifest manifest = readManifest(zip, file);
            checkEntrySet(zip, manifest, file);
            Map<String, byte[]> entries = readAllButIndex(zip, manifest, file);
            String config = manifest.kernel().configEntry() == null ? null
                    : new String(entries.get(CONFIG), StandardCharsets.UTF_8);
            SessionModules modules = readModules(manifest, file, entries);
            List<RunInput> runs = new ArrayList<>();
            for (int n = 0; n < manifest.runs().size(); n++) {
                stopIfInterrupted(file);
                runs.add(readRunInput(manifest, file, n, modules, entries));
            }
            stopIfInterrupted(file);
            KernelIndex index = readIndex(zip, manifest, file);
            stopIfInterrupted(file);
            expectCount(file, "index points", manifest.index().points(), index.pointCount());
            expectCount(file, "index frames", manifest.index().frames(), index.frameCount());
            expectCount(file, "index strings", manifest.index().strings(), index.stringCount());
            SessionManifest.Kernel kernel = manifest.kernel();
            KernelInfo info = new KernelInfo(kernel.release(), config, kernel.sourcePackage(), kernel.sourceVersion(),
                    manifest.sources());
            Session session;
            try {
                session = Session.create(index, modules, new PathMapper(index.compDir(), manifest.prefixMap()), info,
                        null);
            } catch (IllegalArgumentException e) {
                throw new SessionFormatException(file, MANIFEST + ": modules: " + Printable.of(e.getMessage()));
            }
            for (int n = 0; n < manifest.runs().size(); n++) {
                stopIfInterrupted(file);
                addRun(file, session, manifest.runs().get(n), runs.get(n));
            }
            return session;
        }
    }

    /**
     * Gives up between the read's steps once its thread is interrupted (a reading started ahead of a window that
     * then named another file): decoding on would keep a core busy for half a second for nothing. The interrupt
     * stays set for the caller.
     */
    private static void stopIfInterrupted(Path file) throws java.io.InterruptedIOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new java.io.InterruptedIOException("reading " + file + " was interrupted");
        }
    }

    /**
     * The bytes of every entry but the kernel index, each checked (size, CRC-32, the manifest's SHA-256), by
     * name: about a megabyte, where the index is tens, so a session whose small entries are broken is refused
     * before the index is inflated.
     */
    private static Map<String, byte[]> readAllButIndex(SessionEntries zip, SessionManifest manifest, Path file)
            throws IOException {
        Map<String, byte[]> entries = new java.util.HashMap<>();
        if (manifest.kernel().configEntry() != null) {
            entries.put(CONFIG, zip.read(CONFIG, "the kernel config", MAX_CONFIG_BYTES, declared(manifest, CONFIG, file)));
        }
        for (int m = 0; m < manifest.modules().size(); m++) {
            entries.put(moduleEntry(m), zip.read(moduleEntry(m), moduleWhat(manifest.modules().get(m)), MAX_INDEX_BYTES,
                    declared(manifest, moduleEntry(m), file)));
        }
        for (int n = 0; n < manifest.runs().size(); n++) {
            SessionManifest.Run run = manifest.runs().get(n);
            entries.put(runEntry(n), zip.read(runEntry(n), "the PCs of " + runName(run), maxRunBytes(run.uniquePcs()),
                    declared(manifest, runEntry(n), file)));
            if (run.comparisonRecords() != null) {
                entries.put(comparisonEntry(n), zip.read(comparisonEntry(n), "the comparisons of " + runName(run),
                        MAX_COMPARISON_BYTES, declared(manifest, comparisonEntry(n), file)));
            }
            if (run.layoutEntry() != null) {
                entries.put(layoutEntry(n), zip.read(layoutEntry(n), "the module layout of run " + n, MAX_LAYOUT_BYTES,
                        declared(manifest, layoutEntry(n), file)));
            }
        }
        return entries;
    }

    private static String moduleWhat(SessionManifest.ModuleFacts facts) {
        return "the index of module " + facts.name();
    }

    private static String runName(SessionManifest.Run run) {
        return "run '" + Printable.of(run.label()) + "'";
    }

    /** Each module's index, checked against the manifest's counts and sections, as the session holds them. */
    private static SessionModules readModules(SessionManifest manifest, Path file, Map<String, byte[]> entries)
            throws IOException {
        List<SessionModules.Module> modules = new ArrayList<>();
        for (int m = 0; m < manifest.modules().size(); m++) {
            SessionManifest.ModuleFacts facts = manifest.modules().get(m);
            byte[] bytes = entries.get(moduleEntry(m));
            KernelIndex index = decodeIndex(file, moduleEntry(m), moduleWhat(facts), bytes);
            expectCount(file, "module " + facts.name() + " points", facts.index().points(), index.pointCount());
            expectCount(file, "module " + facts.name() + " frames", facts.index().frames(), index.frameCount());
            expectCount(file, "module " + facts.name() + " strings", facts.index().strings(), index.stringCount());
            List<SessionModules.Section> sections = facts.sections().stream()
                    .map(s -> new SessionModules.Section(s.name(), s.address(), s.size())).toList();
            for (int p = 0; p < index.pointCount(); p++) {
                long address = index.pointAddress(p);
                if (sections.stream().noneMatch(s -> Long.compareUnsigned(address - s.address(), s.size()) < 0)) {
                    throw new SessionFormatException(file, moduleEntry(m) + ": point 0x" + Long.toHexString(address)
                            + " lies in no section the manifest gives module " + facts.name());
                }
            }
            modules.add(new SessionModules.Module(facts.name(), facts.buildId(), sections, index));
        }
        try {
            return new SessionModules(modules);
        } catch (IllegalArgumentException e) {
            throw new SessionFormatException(file, MANIFEST + ": modules: " + Printable.of(e.getMessage()));
        }
    }

    private static ModuleLayout readLayout(Path file, int n, byte[] bytes) throws IOException {
        try {
            return ModuleLayoutReader.read(new BufferedReader(new StringReader(new String(bytes, StandardCharsets.UTF_8))),
                    Path.of(file + ": " + layoutEntry(n)));
        } catch (IOException e) {
            throw new SessionFormatException(file, Printable.of(e.getMessage()).replace(file + ": ", ""), e);
        }
    }

    /**
     * The kernel index, checked and decoded; its 35 MB of bytes are no longer reachable once this returns,
     * so they are not kept alive (and copied by the collector) while the layout is built from the index.
     */
    private static KernelIndex readIndex(SessionEntries zip, SessionManifest manifest, Path file) throws IOException {
        SessionManifest.EntryFacts declared = declared(manifest, INDEX, file);
        byte[] checked = declared == null ? null : zip.readRecordChecked(INDEX, MAX_INDEX_BYTES, declared);
        if (checked != null) {
            return decodeIndex(file, INDEX, "the kernel index", checked);
        }
        SessionEntries.Hashed hashed = zip.readHashingAside(INDEX, "the kernel index", MAX_INDEX_BYTES, declared);
        KernelIndex index;
        try {
            index = decodeIndex(file, INDEX, "the kernel index", hashed.data());
        } catch (IOException | RuntimeException e) {
            hashed.verified(); // bytes other than the manifest's: that is the news, not how they fail to decode
            throw e;
        }
        hashed.verified();
        return index;
    }

    /** The kernel's or a module's index from its entry's bytes. */
    private static KernelIndex decodeIndex(Path file, String name, String what, byte[] bytes) throws IOException {
        return decode(file, name, what, in -> {
            in.skipNBytes(bytes.length); // the codec reads the bytes as a whole
            return KernelIndexCodec.read(ByteBuffer.wrap(bytes));
        }, bytes);
    }

    /**
     * The container holds exactly the entries the manifest calls for: an entry nothing reads (a run the
     * manifest no longer lists, a config it says is absent) means the two disagree; so does a size and
     * hash recorded for an entry that is not used.
     */
    private static void checkEntrySet(SessionEntries zip, SessionManifest manifest, Path file)
            throws SessionFormatException {
        java.util.Set<String> expected = new java.util.LinkedHashSet<>(List.of(MANIFEST, INDEX));
        for (int m = 0; m < manifest.modules().size(); m++) {
            expected.add(moduleEntry(m));
        }
        if (manifest.kernel().configEntry() != null) {
            expected.add(CONFIG);
        }
        for (int n = 0; n < manifest.runs().size(); n++) {
            expected.add(runEntry(n));
            if (manifest.runs().get(n).comparisonRecords() != null) {
                expected.add(comparisonEntry(n));
            }
            if (manifest.runs().get(n).layoutEntry() != null) {
                expected.add(layoutEntry(n));
            }
        }
        for (String name : zip.names()) {
            if (!expected.contains(name)) {
                throw new SessionFormatException(file, "unexpected entry '" + Printable.of(name) + "': the manifest "
                        + "describes " + manifest.runs().size() + " runs and no such entry");
            }
        }
        for (String name : manifest.entries().keySet()) {
            if (!expected.contains(name) || name.equals(MANIFEST)) {
                throw new SessionFormatException(file, MANIFEST + ": entries: '" + Printable.of(name)
                        + "' is not an entry this session uses");
            }
        }
    }

    /** What the manifest records of an entry; from format version 3 on it records every one. */
    private static SessionManifest.EntryFacts declared(SessionManifest manifest, String name, Path file)
            throws SessionFormatException {
        SessionManifest.EntryFacts facts = manifest.entries().get(name);
        if (facts == null && manifest.formatVersion() >= 3) {
            throw new SessionFormatException(file, MANIFEST + ": entries: expected the size and SHA-256 of '" + name
                    + "', found nothing");
        }
        return facts;
    }

    /**
     * A run entry's bound: 8 bytes for the first PC, at most 10 per gap and 5 per hit count; a module PC
     * takes at most 5 + 5 + 10 + 5.
     */
    private static long maxRunBytes(long uniquePcs) {
        return 5 + 8 + 5 + uniquePcs * 25;
    }

    /** The GNU build id of the session's kernel, from the manifest alone (null when it has none). */
    public static String buildId(Path file) throws IOException {
        try (SessionEntries zip = SessionEntries.open(file)) {
            return readManifest(zip, file).kernel().buildId();
        }
    }

    /** The labels of the runs recorded in {@code mode} ("pc" or "cmp"), in session order, from the manifest alone. */
    public static List<String> runLabels(Path file, String mode) throws IOException {
        return manifestRuns(file).stream().filter(run -> run.mode().equals(mode)).map(ManifestRun::label).toList();
    }

    /** A run as the manifest alone tells it: its label, its mode ("pc" or "cmp") and its point of a series, if any. */
    public record ManifestRun(String label, String mode, SeriesPoint series) {
    }

    /**
     * The runs in session order, from the manifest alone, read once: a command that asks for both the labels and the
     * series ({@link #latestSnapshots(List)}) reads the file once.
     */
    public static List<ManifestRun> manifestRuns(Path file) throws IOException {
        try (SessionEntries zip = SessionEntries.open(file)) {
            return readManifest(zip, file).runs().stream()
                    .map(run -> new ManifestRun(run.label(), run.mode(), run.series())).toList();
        }
    }

    /**
     * Each series' name and the label of its latest snapshot, from the manifest alone (a series' name means
     * that snapshot in expressions).
     */
    public static Map<String, String> latestSnapshots(Path file) throws IOException {
        return latestSnapshots(manifestRuns(file));
    }

    /** {@link #latestSnapshots(Path)} of runs already read from the manifest. */
    public static Map<String, String> latestSnapshots(List<ManifestRun> runs) {
        Map<String, String> latest = new LinkedHashMap<>();
        Map<String, Double> latestSeconds = new java.util.HashMap<>();
        for (ManifestRun run : runs) {
            SeriesPoint point = run.series();
            if (point != null && (!latestSeconds.containsKey(point.series())
                    || point.seconds() > latestSeconds.get(point.series()))) {
                latestSeconds.put(point.series(), point.seconds());
                latest.put(point.series(), run.label());
            }
        }
        return latest;
    }

    /** Run {@code n} as its entries and the manifest describe it: everything about it that needs no kernel index. */
    private static RunInput readRunInput(SessionManifest manifest, Path file, int n, SessionModules modules,
            Map<String, byte[]> entries) throws IOException {
        SessionManifest.Run run = manifest.runs().get(n);
        String name = runName(run);
        ModuleLayout layout = run.layoutEntry() == null ? null : readLayout(file, n, entries.get(layoutEntry(n)));
        RunCodec.Pcs pcs = decode(file, runEntry(n), "the PCs of " + name, manifest.formatVersion() >= 4
                ? in -> RunCodec.readWithModules(in, modules) : RunCodec::read, entries.get(runEntry(n)));
        byte[] comparisonBytes = entries.get(comparisonEntry(n));
        expectCount(file, name + " unique PCs", run.uniquePcs(), pcs.uniquePcs().length);
        ComparisonSummary comparisons = null;
        if (comparisonBytes != null) {
            comparisons = decode(file, comparisonEntry(n), "the comparisons of " + name,
                    in -> ComparisonSummaryCodec.read(in, pcs.uniquePcs()), comparisonBytes);
            expectCount(file, name + " comparison records", run.comparisonRecords(), comparisons.totalRecords());
        }
        try {
            return new RunInput(run.label(), run.colour(), run.remoteSource(), run.mode(), run.sourceFile(),
                    run.entries(), run.overflow(), pcs.uniquePcs(), pcs.hitCounts(), run.pcKind(), comparisons, layout);
        } catch (IllegalArgumentException e) {
            throw new SessionFormatException(file, MANIFEST + ": " + name + ": " + Printable.of(e.getMessage()));
        }
    }

    /** Adds a checked run to the session; what needs the kernel index (attribution, covered points) is checked here. */
    private static void addRun(Path file, Session session, SessionManifest.Run run, RunInput input)
            throws IOException {
        String name = runName(run);
        SessionRun added;
        try {
            added = session.addRun(input, run.attribution(), run.series(), run.seriesCut());
        } catch (IllegalArgumentException e) {
            throw new SessionFormatException(file, name + ": " + Printable.of(e.getMessage()));
        }
        expectCount(file, name + " covered points", run.coveredPoints(), added.points().hitCount());
    }

    private static ObjectNode manifest(Session session, List<SessionRun> sessionRuns) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("format", FORMAT);
        boolean cut = sessionRuns.stream().anyMatch(run -> run.seriesCut() != null);
        root.put("formatVersion", cut ? FORMAT_VERSION : VERSION_WITHOUT_CUTS);
        KernelIndex index = session.kernelIndex();
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
        ArrayNode modules = root.putArray("modules");
        List<SessionModules.Module> sessionModules = session.modules().modules();
        for (int m = 0; m < sessionModules.size(); m++) {
            SessionModules.Module module = sessionModules.get(m);
            ObjectNode node = modules.addObject();
            node.put("name", module.name());
            node.put("buildId", module.buildId());
            node.put("entry", moduleEntry(m));
            ArrayNode sections = node.putArray("sections");
            for (SessionModules.Section s : module.sections()) {
                sections.addObject().put("name", s.name()).put("address", "0x" + Long.toHexString(s.address()))
                        .put("size", s.size());
            }
            node.put("points", module.index().pointCount());
            node.put("frames", module.index().frameCount());
            node.put("strings", module.index().stringCount());
        }
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
            if (hasLayout(run)) {
                r.put("layout", layoutEntry(n));
            }
            if (run.seriesPoint() != null) {
                ObjectNode series = r.putObject("series");
                series.put("name", run.seriesPoint().series());
                series.put("seconds", run.seriesPoint().seconds());
                if (run.seriesCut() != null) {
                    series.put("cutShortAt", run.seriesCut().at());
                    series.put("cutShort", run.seriesCut().reason());
                }
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
        ObjectNode node = Json.MAPPER.createObjectNode();
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

    private static SessionManifest readManifest(SessionEntries zip, Path file) throws IOException {
        return SessionManifest.parse(zip.read(MANIFEST, "the session manifest", MAX_MANIFEST_BYTES, null), file);
    }

    /** What an entry decoder does; its IOExceptions are reported with the file and entry name. */
    @FunctionalInterface
    private interface EntryReader<T> {
        T read(DataInputStream in) throws IOException;
    }

    /** Decodes checked bytes; whatever is wrong with them is reported with the file and entry name. */
    private static <T> T decode(Path file, String name, String what, EntryReader<T> reader, byte[] bytes)
            throws SessionFormatException {
        try (DataInputStream in = new DataInputStream(new UnsharedBytes(bytes))) {
            T value = reader.read(in);
            if (in.read() >= 0) {
                throw new IOException("unexpected data after the end");
            }
            return value;
        } catch (EOFException e) {
            throw new SessionFormatException(file, name + " is truncated (expected " + what + " to go on)", e);
        } catch (SessionFormatException e) {
            throw e;
        } catch (IOException | IllegalArgumentException | IndexFormatException e) {
            throw new SessionFormatException(file, name + " (" + what + "): " + Printable.of(e.getMessage()), e);
        }
    }

    /**
     * A {@link ByteArrayInputStream} whose reads take no lock: the entry decoders read varints a byte at a time, and
     * the synchronized {@code read()} (a lock taken and released per byte since JDK 15 dropped biased locking) was a
     * tenth of decoding the demo's runs under C1. One thread reads it.
     */
    private static final class UnsharedBytes extends ByteArrayInputStream {
        UnsharedBytes(byte[] bytes) {
            super(bytes);
        }

        @Override
        public int read() {
            return pos < count ? buf[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (pos >= count) {
                return -1;
            }
            int n = Math.min(len, count - pos);
            if (n <= 0) {
                return 0;
            }
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    private static void expectCount(Path file, String what, long stated, long actual) throws SessionFormatException {
        if (stated != actual) {
            throw new SessionFormatException(file, what + ": the manifest says " + stated + ", the data holds "
                    + actual + " (a broken or hand-edited session)");
        }
    }

    static String runEntry(int n) {
        return "runs/" + n + ".bin";
    }

    static String comparisonEntry(int n) {
        return "cmp/" + n + ".bin";
    }

    static String moduleEntry(int m) {
        return "modules/" + m + ".bin";
    }

    static String layoutEntry(int n) {
        return "layouts/" + n + ".layout";
    }

    private static boolean hasLayout(SessionRun run) {
        return run.layout() != null && !run.layout().isEmpty();
    }

    private static boolean hasComparisonValues(SessionRun run) {
        return run.input().comparisons() != null && run.input().comparisons().hasValues();
    }

    /** An entry's size and SHA-256 (and its record's, or null), as the manifest records them. */
    private record EntryDigest(long size, String sha256, String recordSha256) {
        EntryDigest withRecord(String recordHash) {
            return new EntryDigest(size, sha256, recordHash);
        }
    }

    /** What an entry writer does. */
    @FunctionalInterface
    private interface EntryWriter {
        void write(DataOutputStream out) throws IOException;
    }

    private static EntryDigest writeEntry(ZipOutputStream zip, String name, EntryWriter writer) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(ENTRY_TIME);
        zip.putNextEntry(entry);
        MessageDigest sha256 = Sha256.newDigest();
        CountingOutputStream counted = new CountingOutputStream(new DigestOutputStream(new NonClosing(zip), sha256));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(counted, 1 << 16));
        writer.write(out);
        out.flush();
        zip.closeEntry();
        return new EntryDigest(counted.count, HexFormat.of().formatHex(sha256.digest()), null);
    }

    /** Counts what passes. */
    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
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
