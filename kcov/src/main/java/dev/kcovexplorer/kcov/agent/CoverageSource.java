package dev.kcovexplorer.kcov.agent;

import dev.kcovexplorer.kcov.ModuleLayout;
import dev.kcovexplorer.kcov.live.CoverageChunk;
import java.io.IOException;

/**
 * Where the agent's coverage comes from: the kernel's kcov on a target ({@link KcovCoverageSource}).
 * Calls come from one thread at a time.
 */
public interface CoverageSource {

    /** The target's kernel and what its kcov offers. */
    Message.KernelInfo kernelInfo();

    /** Starts collecting as planned; throws with a message for people when the kernel refuses. */
    void start(CollectionPlan plan) throws IOException;

    /** Entries written since the last drain. */
    CoverageChunk drain() throws IOException;

    /** Stops collecting (kcov disabled first) and returns what was left in the area. */
    CoverageChunk stop() throws IOException;

    /**
     * Where the target's kernel has its modules loaded now; the exception's message says why that cannot
     * be known (the agent is not root).
     */
    ModuleLayout moduleLayout() throws IOException;
}
