package dev.kcovexplorer.app.model.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.kcovexplorer.app.model.AttributionFigures;
import dev.kcovexplorer.app.model.SeriesCut;
import dev.kcovexplorer.app.model.SeriesPoint;
import dev.kcovexplorer.kcov.PcKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A session's {@code manifest.json}, checked field by field before anything else is read: every type,
 * every enum, every count non-negative and whole. A wrong field is refused with its place in the
 * manifest ({@code runs[2].mode: expected one of pc, cmp, found "bogus"}).
 *
 * @param entries what the manifest records of every other entry (size and SHA-256); empty before
 *                format version 3
 * @param modules the loadable modules the session holds (format version 4 on), each with its own index entry
 */
record SessionManifest(int formatVersion, Kernel kernel, Map<String, String> prefixMap, Map<String, String> sources,
        IndexFacts index, List<Run> runs, Map<String, EntryFacts> entries, List<ModuleFacts> modules) {

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Pattern COLOUR = Pattern.compile("#[0-9a-fA-F]{6}");
    private static final List<String> MODES = List.of("pc", "cmp");
    private static final Pattern MODULE_NAME = Pattern.compile("[A-Za-z0-9_]+");
    private static final Pattern SECTION_NAME = Pattern.compile("[^\\s#]+");
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-f]{1,16}");
    private static final Pattern BUILD_ID = Pattern.compile("([0-9a-f]{2}){1,64}");
    private static final List<String> PC_KINDS = Arrays.stream(PcKind.values()).map(PcKind::id).toList();

    /**
     * 64 lower-case hex digits. By hand rather than by a regular expression: a manifest holds one per source
     * file (thousands), and matching them was the largest part of parsing it.
     */
    private static boolean isSha256(String s) {
        if (s.length() != 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    /** The kernel facts the session keeps. */
    record Kernel(String release, String sourcePackage, String sourceVersion, String configEntry, String buildId) {
    }

    /** The counts the kernel index must match. */
    record IndexFacts(long points, long frames, long strings) {
    }

    /**
     * What the manifest says of an entry: the data must be exactly this. {@code recordSha256}, or null, is the
     * SHA-256 of the entry's record as the writer stored it in the container (local header, deflated data, data
     * descriptor) followed by {@code sha256} in hex: bytes that hash to it with this manifest's {@code sha256} are
     * the writer's, so their data is the data {@code sha256} describes.
     */
    record EntryFacts(long size, String sha256, String recordSha256) {
    }

    /**
     * One run as the manifest describes it; {@code layoutEntry} names its module layout, or is null; {@code series}
     * is null for a run that is no series' snapshot, {@code seriesCut} for one whose campaign was not cut short.
     */
    record Run(String label, String colour, String remoteSource, String mode, String sourceFile, long entries,
            boolean overflow, PcKind pcKind, long uniquePcs, long coveredPoints, Long comparisonRecords,
            AttributionFigures attribution, String layoutEntry, SeriesPoint series, SeriesCut seriesCut) {
    }

    /** A module the session holds: its code sections at their session addresses and its index's counts. */
    record ModuleFacts(String name, String buildId, List<SectionFacts> sections, IndexFacts index) {
    }

    /** A module's code section where the session placed it. */
    record SectionFacts(String name, long address, long size) {
    }

    static SessionManifest parse(byte[] json, Path file) throws SessionFormatException {
        JsonNode tree;
        try {
            tree = STRICT.readTree(json);
        } catch (JsonProcessingException e) {
            throw new SessionFormatException(file, SessionFile.MANIFEST + " is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw new SessionFormatException(file, SessionFile.MANIFEST + " is not valid JSON: " + e.getMessage());
        }
        ManifestField root = ManifestField.root(file, tree);
        if (tree == null || !tree.isObject() || !SessionFile.FORMAT.equals(tree.path("format").asText(null))) {
            throw new SessionFormatException(file, SessionFile.MANIFEST + " does not say \"format\": \""
                    + SessionFile.FORMAT + "\"");
        }
        int version = formatVersion(root.get("formatVersion"), file);
        ManifestField kernel = root.get("kernel").object();
        for (String name : List.of("arch", "compDir")) {
            kernel.get(name).optionalString();
        }
        String buildId = kernel.get("buildId").optionalString();
        String configEntry = kernel.get("config").optionalString(SessionFile.CONFIG::equals,
                "\"" + SessionFile.CONFIG + "\" or null");
        Kernel facts = new Kernel(kernel.get("release").optionalString(), kernel.get("sourcePackage").optionalString(),
                kernel.get("sourceVersion").optionalString(), configEntry, buildId);
        ManifestField index = root.get("index").object();
        IndexFacts indexFacts = new IndexFacts(index.get("points").count(), index.get("frames").count(),
                index.get("strings").count());
        for (String name : List.of("tailReturnAddresses", "files", "lines", "functions", "remoteSites",
                "comparisonSites")) {
            index.get(name).count(0);
        }
        if (root.get("paths").present()) {
            root.get("paths").object();
        }
        Map<String, String> prefixMap = strings(root.get("paths").get("prefixMap"));
        Map<String, String> sources = new LinkedHashMap<>();
        for (Map.Entry<String, ManifestField> source : root.get("sources").members().entrySet()) {
            sources.put(source.getKey(), source.getValue().optionalString(SessionManifest::isSha256,
                    "a SHA-256 in lower-case hex"));
        }
        List<ManifestField> runFields = root.get("runs").array();
        List<Run> runs = new java.util.ArrayList<>(runFields.size());
        for (int n = 0; n < runFields.size(); n++) {
            runs.add(run(runFields.get(n).object(), n));
        }
        Map<String, EntryFacts> entries = new LinkedHashMap<>();
        ManifestField entriesField = root.get("entries");
        if (version >= 3 || entriesField.present()) {
            for (Map.Entry<String, ManifestField> entry : entriesField.object().members().entrySet()) {
                ManifestField declared = entry.getValue().object();
                String sha256 = declared.get("sha256").string();
                if (!isSha256(sha256)) {
                    throw declared.get("sha256").fail("a SHA-256 in lower-case hex");
                }
                String recordSha256 = declared.get("recordSha256").optionalString(SessionManifest::isSha256,
                        "a SHA-256 in lower-case hex");
                entries.put(entry.getKey(), new EntryFacts(declared.get("size").count(), sha256, recordSha256));
            }
        }
        List<ModuleFacts> modules = new java.util.ArrayList<>();
        if (root.get("modules").present()) {
            List<ManifestField> moduleFields = root.get("modules").array();
            for (int m = 0; m < moduleFields.size(); m++) {
                modules.add(module(moduleFields.get(m).object(), m));
            }
        }
        return new SessionManifest(version, facts, prefixMap, sources, indexFacts, runs, entries, modules);
    }

    private static ModuleFacts module(ManifestField module, int m) throws SessionFormatException {
        String name = module.get("name").string();
        if (!MODULE_NAME.matcher(name).matches()) {
            throw module.get("name").fail("a module name (letters, digits and _)");
        }
        String buildId = module.get("buildId").optionalString(id -> BUILD_ID.matcher(id).matches(),
                "a build id in lower-case hex");
        module.get("entry").optionalString(SessionFile.moduleEntry(m)::equals, "\"" + SessionFile.moduleEntry(m) + "\"");
        List<ManifestField> sectionFields = module.get("sections").array();
        if (sectionFields.isEmpty()) {
            throw module.get("sections").fail("at least one section");
        }
        List<SectionFacts> sections = new java.util.ArrayList<>();
        for (ManifestField section : sectionFields) {
            section.object();
            String sectionName = section.get("name").string();
            if (!SECTION_NAME.matcher(sectionName).matches()) {
                throw section.get("name").fail("a section name without blanks or #");
            }
            String address = section.get("address").string();
            if (!ADDRESS.matcher(address).matches()) {
                throw section.get("address").fail("an address such as \"0xffffffffc0a10000\"");
            }
            long size = section.get("size").count();
            if (size == 0) {
                throw section.get("size").fail("a size above 0");
            }
            sections.add(new SectionFacts(sectionName, Long.parseUnsignedLong(address.substring(2), 16), size));
        }
        return new ModuleFacts(name, buildId, sections, new IndexFacts(module.get("points").count(),
                module.get("frames").count(), module.get("strings").count()));
    }

    private static int formatVersion(ManifestField field, Path file) throws SessionFormatException {
        if (!field.present()) {
            throw new SessionFormatException(file, SessionFile.MANIFEST + " has no valid formatVersion");
        }
        long version = field.count();
        if (version > SessionFile.FORMAT_VERSION) {
            throw new SessionFormatException(file, "session format version " + version
                    + " is newer than this kcov-explorer reads (" + SessionFile.FORMAT_VERSION + "); update kcov-explorer");
        }
        if (version < 1) {
            throw new SessionFormatException(file, SessionFile.MANIFEST + " has no valid formatVersion");
        }
        return (int) version;
    }

    private static Run run(ManifestField run, int n) throws SessionFormatException {
        String label = run.get("label").string();
        if (label.isBlank()) {
            throw run.get("label").fail("a run name");
        }
        ManifestField entry = run.get("entry");
        entry.optionalString(SessionFile.runEntry(n)::equals, "\"" + SessionFile.runEntry(n) + "\"");
        ManifestField cmp = run.get("comparisons");
        Long records = null;
        if (cmp.present()) {
            cmp.object().get("entry").optionalString(SessionFile.comparisonEntry(n)::equals,
                    "\"" + SessionFile.comparisonEntry(n) + "\"");
            cmp.get("ips").count(0);
            cmp.get("pairsKeptPerIp").count(0);
            records = cmp.get("records").count();
        }
        PcKind pcKind = PcKind.parse(run.get("pcKind").oneOf("unknown", PC_KINDS));
        return new Run(label,
                run.get("colour").optionalString(c -> COLOUR.matcher(c).matches(), "a colour #rrggbb"),
                run.get("remoteSource").optionalString(),
                run.get("mode").oneOf("pc", MODES),
                run.get("sourceFile").optionalString(),
                run.get("entries").count(0),
                run.get("overflow").bool(false),
                pcKind,
                run.get("uniquePcs").count(),
                run.get("coveredPoints").count(),
                records,
                attribution(run.get("attribution"), pcKind),
                run.get("layout").optionalString(SessionFile.layoutEntry(n)::equals,
                        "\"" + SessionFile.layoutEntry(n) + "\" or null"),
                series(run.get("series"), label),
                seriesCut(run.get("series")));
    }

    /**
     * The series' "cutShort" (why, as the campaign's manifest says it) and "cutShortAt" (seconds), both or neither;
     * null when absent (a campaign that was not cut short, or a session written before cuts were kept). The text
     * shown is made from the two, so no time in it can disagree with "cutShortAt".
     */
    private static SeriesCut seriesCut(ManifestField series) throws SessionFormatException {
        // Either field alone is a cut half written or half edited away: a time without its reason must not pass for
        // a campaign that ran its whole time.
        if (!series.present() || !series.get("cutShort").present() && !series.get("cutShortAt").present()) {
            return null;
        }
        String reason = series.get("cutShort").string();
        if (reason.isBlank()) {
            throw series.get("cutShort").fail("what cut the campaign short");
        }
        return new SeriesCut(series.get("cutShortAt").nonNegativeNumber(), reason);
    }

    /** {"name": SERIES, "seconds": T}: the run is the snapshot of SERIES taken T seconds into it, labelled SERIES@Ts. */
    private static SeriesPoint series(ManifestField series, String label) throws SessionFormatException {
        if (!series.present()) {
            return null;
        }
        series.object();
        String name = series.get("name").string();
        double seconds = series.get("seconds").nonNegativeNumber();
        SeriesPoint point;
        try {
            point = new SeriesPoint(name, seconds);
        } catch (IllegalArgumentException e) {
            throw series.get("name").fail("a series name without '@'");
        }
        if (!point.label().equals(label)) {
            throw series.fail("the series of a run labelled '" + point.label() + "'");
        }
        return point;
    }

    private static AttributionFigures attribution(ManifestField node, PcKind reading) throws SessionFormatException {
        if (!node.present()) {
            return null;
        }
        node.object();
        Map<String, Integer> reasons = new LinkedHashMap<>();
        for (Map.Entry<String, ManifestField> reason : node.get("unresolvedReasons").members().entrySet()) {
            reasons.put(reason.getKey(), reason.getValue().intCount());
        }
        node.get("pcKind").oneOf("unknown", PC_KINDS);
        node.get("warning").optionalString();
        return new AttributionFigures(reading == PcKind.UNKNOWN ? PcKind.RETURN_ADDRESS : reading,
                node.get("uniquePcs").intCount(), node.get("matched").intCount(),
                node.get("attributedExact").intCount(), node.get("attributedCandidates").intCount(),
                node.get("unresolved").intCount(), node.get("returnAddressRate").fraction(),
                node.get("callSiteRate").fraction(), reasons);
    }

    private static Map<String, String> strings(ManifestField object) throws SessionFormatException {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, ManifestField> member : object.members().entrySet()) {
            values.put(member.getKey(), member.getValue().string());
        }
        return values;
    }
}
