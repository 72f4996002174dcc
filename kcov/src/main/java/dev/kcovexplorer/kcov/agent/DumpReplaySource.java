package dev.kcovexplorer.kcov.agent;

import dev.kcovexplorer.kcov.CmpRecords;
import dev.kcovexplorer.kcov.CoverageRun;
import dev.kcovexplorer.kcov.DumpReader;
import dev.kcovexplorer.kcov.ModuleLayout;
import dev.kcovexplorer.kcov.ModuleLayoutSource;
import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.kcov.live.CoverageChunk;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage replayed from a recorded kcov dump, {@code entriesPerDrain} entries per drain in the order they
 * were recorded: an agent on a machine without kcov ({@code agent --listen … --replay DUMP}) that behaves
 * like one watching the recorded kernel, for demos of the Live window and for tests. Collection plans
 * are accepted as they are; what the dump holds is what streams, and the module layout recorded with it
 * ({@code DUMP.layout}) is the one the agent reports.
 */
public final class DumpReplaySource implements CoverageSource {
    private final String name;
    private final TraceMode mode;
    private final long[] words;
    private final int entriesPerDrain;
    private final ModuleLayoutSource modules;
    private int position;
    private volatile CollectionPlan plan;
    private volatile boolean stopped;

    public DumpReplaySource(String name, TraceMode mode, long[] words, int entriesPerDrain) {
        this(name, mode, words, entriesPerDrain, ModuleLayoutSource.NONE);
    }

    public DumpReplaySource(String name, TraceMode mode, long[] words, int entriesPerDrain, ModuleLayoutSource modules) {
        if (entriesPerDrain < 1) {
            throw new IllegalArgumentException("entries per drain must be positive, got " + entriesPerDrain);
        }
        this.name = name;
        this.mode = mode;
        this.words = words;
        this.entriesPerDrain = entriesPerDrain;
        this.modules = modules;
    }

    /** Reads the dump with {@link DumpReader} (any format it detects, gzip included). */
    public static DumpReplaySource of(Path dump, int entriesPerDrain) throws IOException {
        CoverageRun run = DumpReader.read(dump);
        long[] words = run.mode() == TraceMode.PC ? run.trace() : cmpWords(run.cmp());
        return new DumpReplaySource(dump.getFileName().toString(), run.mode(), words, entriesPerDrain,
                ModuleLayoutSource.besideDump(dump));
    }

    private static long[] cmpWords(CmpRecords records) {
        long[] words = new long[records.size() * TraceMode.CMP.wordsPerEntry()];
        for (int i = 0; i < records.size(); i++) {
            words[4 * i] = records.type(i);
            words[4 * i + 1] = records.arg1(i);
            words[4 * i + 2] = records.arg2(i);
            words[4 * i + 3] = records.ip(i);
        }
        return words;
    }

    @Override
    public Message.KernelInfo kernelInfo() {
        return new Message.KernelInfo("replay of " + name, null, true, mode == TraceMode.CMP, true, null, List.of());
    }

    @Override
    public ModuleLayout moduleLayout() throws IOException {
        return modules.read();
    }

    /** Starts (again) from the beginning of the dump. */
    @Override
    public synchronized void start(CollectionPlan plan) {
        this.plan = plan;
        this.position = 0;
        this.stopped = false;
    }

    @Override
    public synchronized CoverageChunk drain() {
        int to = (int) Math.min(words.length, position + (long) entriesPerDrain * mode.wordsPerEntry());
        long[] chunk = Arrays.copyOfRange(words, position, to);
        position = to;
        return new CoverageChunk(mode, chunk, false);
    }

    /** Ends the replay; the rest of the dump is what "was left in the area". */
    @Override
    public synchronized CoverageChunk stop() {
        long[] rest = Arrays.copyOfRange(words, position, words.length);
        position = words.length;
        stopped = true;
        return new CoverageChunk(mode, rest, false);
    }

    @Override
    public String exercise(String workload, boolean running) throws IOException {
        throw new AgentException("this agent replays the dump " + name + ": there is no kernel to run " + workload
                + " traffic in");
    }

    /** Every entry of the dump was handed out. */
    public synchronized boolean exhausted() {
        return position == words.length;
    }

    CollectionPlan plan() {
        return plan;
    }

    boolean stopped() {
        return stopped;
    }
}
