package dev.kcovexplorer.kcov.agent;

import dev.kcovexplorer.kcov.ModuleLayout;
import dev.kcovexplorer.kcov.live.CoverageChunk;
import java.io.IOException;

/**
 * Where the agent's coverage comes from: the kernel's kcov on a target ({@link KcovCoverageSource}).
 * Calls come from one thread at a time, except {@link #exercise}, which may run beside the drains.
 */
public interface CoverageSource {

    /** The target's kernel and what its kcov offers. */
    Message.KernelInfo kernelInfo();

    /** Starts collecting as planned; throws with a message for people when the kernel refuses. */
    void start(CollectionPlan plan) throws IOException;

    /** Entries written since the last drain. */
    CoverageChunk drain() throws IOException;

    /** Stops collecting (kcov disabled first, a running workload stopped before) and returns what was left in the area. */
    CoverageChunk stop() throws IOException;

    /**
     * Where the target's kernel has its modules loaded now; the exception's message says why that cannot
     * be known (the agent is not root).
     */
    ModuleLayout moduleLayout() throws IOException;

    /**
     * Starts ({@code running}) or stops a workload under the session's common handle; returns what was done,
     * for people. Only a source on a real kernel can: the others say why not.
     */
    default String exercise(String workload, boolean running) throws IOException {
        throw new AgentException("this agent serves no kernel's kcov, so it cannot run " + workload + " traffic");
    }
}
