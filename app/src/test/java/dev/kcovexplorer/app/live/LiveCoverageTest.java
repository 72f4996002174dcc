package dev.kcovexplorer.app.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.kcov.agent.CoverageBatch;
import org.junit.jupiter.api.Test;

/** The live coverage's bookkeeping of sequence numbers and resets, fed batches as an agent's connection hands them. */
class LiveCoverageTest {
    private static CoverageBatch batch(long sequence, long... pcs) {
        return new CoverageBatch(sequence, TraceMode.PC, false, pcs);
    }

    /**
     * A Reset the agent never confirmed (the connection lost), and the agent restarted meanwhile (the demo VM booted
     * again): what the old agent sent after the Reset was asked is old coverage, numbered the old agent's way. The new
     * agent's start confirms the Reset for its own batches only: the old batch stays out, and the new agent's first
     * batch counts (on the old code the old batch, sequence 7, came back and the new one, sequence 1, was dropped as a
     * repeat of it).
     */
    @Test
    void batchesHeldForAResetTheRestartedAgentCannotConfirmStayOut() {
        LiveCoverage coverage = new LiveCoverage();
        coverage.agentInstance("first boot");
        coverage.add(batch(6, 0x10));
        coverage.clear(); // Reset, not confirmed: the connection was lost
        coverage.add(batch(7, 0x20)); // the old agent's, received after the Reset was asked
        coverage.agentInstance("second boot");
        coverage.resetConfirmed(coverage.resetsAsked(), 1); // the new agent's session starts at sequence 1
        coverage.add(batch(1, 0x30));

        assertThat(coverage.hits(0x20)).as("hits of the old agent's PC held for the Reset").isZero();
        assertThat(coverage.hits(0x30)).as("hits of the new agent's first PC").isEqualTo(1);
        assertThat(coverage.takeUpdate().uniquePcs()).isEqualTo(1);
    }
}
