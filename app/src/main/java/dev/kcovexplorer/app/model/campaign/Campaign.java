package dev.kcovexplorer.app.model.campaign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.app.model.SeriesCut;
import dev.kcovexplorer.app.model.SeriesPoint;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.SessionRun;
import dev.kcovexplorer.kcov.CoverageRun;
import dev.kcovexplorer.kcov.DumpReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A run series on disk, as a directory: a fuzzing campaign of ours (dumps named by elapsed time and a
 * {@value #MANIFEST} that lists them with their times and says how the campaign ran), or a directory of
 * syzkaller {@code rawcover} files (or any dumps) ordered by time — by the number in their names when every
 * name holds a different one (seconds since start, or a Unix time counted from the first), else by their
 * modification times.
 *
 * @param name      the series' name: the manifest's "name", else the directory's
 * @param directory where it was read
 * @param snapshots the dumps by ascending time
 * @param facts     what the manifest says of the campaign (fuzzer, seed, started, connections per second,
 *                  corpus size, and "remoteSource" as the Runs window says it: "USB bus 3"), in its order;
 *                  empty for a plain directory
 */
public record Campaign(String name, Path directory, List<Snapshot> snapshots, Map<String, String> facts) {
    public static final String MANIFEST = "campaign.json";
    public static final String FORMAT = "kcov-explorer-campaign";
    /** Numbers at least this large in file names are Unix times, counted from the first file's. */
    private static final long UNIX_TIME_FLOOR = 1_000_000_000L;
    private static final Pattern NUMBER = Pattern.compile("\\d+");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A manifest field the fuzzer writes only when the campaign ends: without it the campaign did not finish. */
    private static final String END_FIGURE = "uniquePcs";

    /** One dump of the series and the seconds since the campaign started at which it was written. */
    public record Snapshot(double seconds, Path file) {
    }

    /**
     * How the campaign was cut short, or null: when it ended before its time (its manifest's "cutShort", the reason,
     * and "cutShortAt", the seconds, else its last snapshot's: the kernel oopsed, the bus stopped answering, a
     * signal), or when its manifest lacks the figures a campaign writes at its end ("uniquePcs"): it is still running,
     * or was killed mid-run, and its last snapshot is where it stopped or has got to (the manifest cannot tell which,
     * so the reason names both). Always null for a plain directory, which has no manifest to tell. Such a curve stops
     * early, or goes flat for a reason that is not the fuzzer's: it must not pass for a shorter complete campaign.
     */
    public SeriesCut cut() {
        String reason = facts.get("cutShort");
        if (reason != null) {
            return new SeriesCut(cutShortAt(), reason.isBlank() ? "no reason given (" + MANIFEST + "'s \"cutShort\" is"
                    + " empty)" : reason);
        }
        if (!facts.isEmpty() && !facts.containsKey(END_FIGURE)) {
            return new SeriesCut(lastSeconds(), "not finished (" + MANIFEST + " has no end figures yet: the campaign is"
                    + " still running, or was killed or its machine stopped)");
        }
        return null;
    }

    /** The manifest's "cutShortAt" when it is seconds, else the last snapshot's (a cut without its time). */
    private double cutShortAt() {
        try {
            double at = Double.parseDouble(facts.getOrDefault("cutShortAt", ""));
            return at >= 0 && !Double.isInfinite(at) ? at : lastSeconds();
        } catch (NumberFormatException e) {
            return lastSeconds();
        }
    }

    /** The seconds of the series' last snapshot: where its curve ends. */
    private double lastSeconds() {
        return snapshots.get(snapshots.size() - 1).seconds();
    }

    /** Whether {@code path} is a directory that can be read as a series (the callers' test for "a series, not a dump"). */
    public static boolean isSeries(Path path) {
        return Files.isDirectory(path);
    }

    public static Campaign read(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory + " (expected a campaign directory or a directory of rawcover files)");
        }
        Path manifest = directory.resolve(MANIFEST);
        return Files.isRegularFile(manifest) ? fromManifest(directory, manifest) : fromFiles(directory);
    }

    private static Campaign fromManifest(Path directory, Path manifest) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(manifest.toFile());
        } catch (JsonProcessingException e) {
            throw new CampaignFormatException(manifest, "not JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + " (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new CampaignFormatException(manifest, "expected a JSON object");
        }
        if (root.has("format") && !FORMAT.equals(root.path("format").asText())) {
            throw new CampaignFormatException(manifest, "\"format\" is '" + root.path("format").asText()
                    + "', expected '" + FORMAT + "'");
        }
        JsonNode list = root.path("snapshots");
        if (!list.isArray() || list.isEmpty()) {
            throw new CampaignFormatException(manifest, "expected \"snapshots\": a non-empty array of {\"t\":SECONDS,"
                    + " \"file\":NAME}");
        }
        List<Snapshot> snapshots = new ArrayList<>();
        double previous = -1;
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            String where = "snapshots[" + i + "]";
            JsonNode t = entry.path("t");
            if (!t.isNumber() || !(t.asDouble() >= 0) || Double.isInfinite(t.asDouble())) {
                throw new CampaignFormatException(manifest, where + ".t: expected seconds >= 0, found " + t);
            }
            if (t.asDouble() <= previous) {
                throw new CampaignFormatException(manifest, where + ".t: " + t.asDouble()
                        + " s does not come after the previous snapshot's " + previous + " s");
            }
            previous = t.asDouble();
            String file = entry.path("file").asText("");
            if (file.isEmpty() || file.contains("/") || file.equals("..") || file.equals(".")) {
                throw new CampaignFormatException(manifest, where + ".file: expected the name of a dump in "
                        + directory + ", found " + entry.path("file"));
            }
            Path dump = directory.resolve(file);
            if (!Files.isRegularFile(dump)) {
                throw new CampaignFormatException(manifest, where + ".file: " + dump + " does not exist");
            }
            snapshots.add(new Snapshot(previous, dump));
        }
        Map<String, String> facts = new LinkedHashMap<>();
        root.fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode() && !e.getKey().equals("format")) {
                facts.put(e.getKey(), e.getValue().asText());
            }
        });
        String name = root.path("name").asText("");
        return new Campaign(name.isBlank() ? directoryName(directory) : name, directory, snapshots, facts);
    }

    private static Campaign fromFiles(Path directory) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
        if (files.isEmpty()) {
            throw new CampaignFormatException(directory, "holds no " + MANIFEST + " and no coverage files");
        }
        List<Snapshot> snapshots = new ArrayList<>();
        long[] numbers = numbersInNames(files);
        if (numbers != null) {
            long first = java.util.Arrays.stream(numbers).min().orElse(0);
            long origin = first >= UNIX_TIME_FLOOR ? first : 0;
            for (int i = 0; i < files.size(); i++) {
                snapshots.add(new Snapshot(numbers[i] - origin, files.get(i)));
            }
        } else {
            long first = Long.MAX_VALUE;
            List<Long> times = new ArrayList<>();
            for (Path file : files) {
                long time = Files.getLastModifiedTime(file).toMillis();
                times.add(time);
                first = Math.min(first, time);
            }
            for (int i = 0; i < files.size(); i++) {
                snapshots.add(new Snapshot((times.get(i) - first) / 1000.0, files.get(i)));
            }
        }
        snapshots.sort(Comparator.comparingDouble(Snapshot::seconds));
        for (int i = 1; i < snapshots.size(); i++) {
            if (snapshots.get(i).seconds() == snapshots.get(i - 1).seconds()) {
                throw new CampaignFormatException(directory, snapshots.get(i - 1).file().getFileName() + " and "
                        + snapshots.get(i).file().getFileName() + " have the same time (" + snapshots.get(i).seconds()
                        + " s): name the files by time or write a " + MANIFEST);
            }
        }
        return new Campaign(directoryName(directory), directory, snapshots, Map.of());
    }

    /** The last number in each name, when every name has one and they all differ; else null. */
    private static long[] numbersInNames(List<Path> files) {
        long[] numbers = new long[files.size()];
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < files.size(); i++) {
            Matcher m = NUMBER.matcher(files.get(i).getFileName().toString());
            String last = null;
            while (m.find()) {
                last = m.group();
            }
            if (last == null || last.length() > 15 || !seen.add(Long.parseLong(last))) {
                return null;
            }
            numbers[i] = Long.parseLong(last);
        }
        return numbers;
    }

    private static String directoryName(Path directory) {
        Path name = directory.toAbsolutePath().normalize().getFileName();
        return name == null ? "series" : name.toString();
    }

    /**
     * Reads every snapshot and adds it to {@code session} as a snapshot of the series {@code seriesName} (null:
     * this campaign's name); {@code beforeEach} hears the index of the snapshot about to be read (progress,
     * cancellation).
     */
    public List<SessionRun> addTo(Session session, String seriesName, IntConsumer beforeEach) throws IOException {
        String series = seriesName != null ? seriesName : name;
        List<SessionRun> added = new ArrayList<>();
        SeriesCut cut = cut();
        for (int i = 0; i < snapshots.size(); i++) {
            beforeEach.accept(i);
            Snapshot snapshot = snapshots.get(i);
            CoverageRun run = DumpReader.read(snapshot.file());
            SeriesPoint point = new SeriesPoint(series, snapshot.seconds());
            added.add(session.addSnapshot(RunInput.of(point.label(), run, facts.get("remoteSource")), point, cut));
        }
        return added;
    }
}
