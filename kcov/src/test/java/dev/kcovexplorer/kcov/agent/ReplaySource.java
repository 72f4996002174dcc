package dev.kcovexplorer.kcov.agent;

import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.kcov.live.CoverageChunk;
import java.util.Arrays;
import java.util.List;

/**
 * A coverage source that replays a real kcov dump, {@code perDrain} entries per drain, for testing the
 * agent's server and client where this machine has no kcov. It records what was asked of it.
 */
final class ReplaySource implements CoverageSource {
    private final long[] words;
    private final TraceMode mode;
    private final int perDrain;
    private int position;
    private volatile CollectionPlan started;
    private volatile boolean stopped;

    ReplaySource(long[] words, TraceMode mode, int perDrain) {
        this.words = words;
        this.mode = mode;
        this.perDrain = perDrain;
    }

    @Override
    public Message.KernelInfo kernelInfo() {
        return new Message.KernelInfo("replay", null, true, true, true, null,
                List.of(new Message.UsbBus(1, "2.00", "480", "replay")));
    }

    @Override
    public synchronized void start(CollectionPlan plan) {
        started = plan;
        stopped = false;
    }

    @Override
    public synchronized CoverageChunk drain() {
        int to = Math.min(words.length, position + perDrain * mode.wordsPerEntry());
        long[] chunk = Arrays.copyOfRange(words, position, to);
        position = to;
        return new CoverageChunk(mode, chunk, false);
    }

    @Override
    public synchronized CoverageChunk stop() {
        long[] rest = Arrays.copyOfRange(words, position, words.length);
        position = words.length;
        stopped = true;
        return new CoverageChunk(mode, rest, false);
    }

    synchronized boolean exhausted() {
        return position == words.length;
    }

    CollectionPlan started() {
        return started;
    }

    boolean stopped() {
        return stopped;
    }
}
