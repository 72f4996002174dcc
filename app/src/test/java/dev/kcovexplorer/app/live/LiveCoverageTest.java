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

    /**
     * An answer naming a reset not asked (an agent out of protocol) confirms nothing, then or later: the reset asked
     * after it still awaits its own answer, and what was made before that reset does not count (on the old code the
     * answer raised the resets confirmed past those asked, and the second reset awaited nothing).
     */
    @Test
    void anAnswerNamingAResetNeverAskedConfirmsNothingNowOrLater() {
        LiveCoverage coverage = new LiveCoverage();
        coverage.add(batch(6, 0x10));
        coverage.clear();
        coverage.resetConfirmed(coverage.resetsAsked(), 7);
        coverage.resetConfirmed(coverage.resetsAsked() + 5, 7); // an agent's answer to a reset not asked (yet)
        coverage.clear();
        coverage.add(batch(7, 0x20)); // made before the agent reset again

        assertThat(coverage.awaitsReset()).as("awaits the second reset").isTrue();
        assertThat(coverage.hits(0x20)).as("hits of a PC made before the second reset").isZero();
        coverage.resetConfirmed(coverage.resetsAsked(), 8);
        assertThat(coverage.hits(0x20)).as("hits of a PC made before the second reset").isZero();
        coverage.add(batch(8, 0x30));
        assertThat(coverage.hits(0x30)).isEqualTo(1);
    }

    /**
     * A reset the agent confirms late, with the connection up: what arrives meanwhile is held up to a bound, the oldest
     * going first. Those that preceded the reset (sequence 7) go unnoticed, as the reset drops them anyway; one that
     * followed it (8) is a lost batch, said in the losses, and the rest count (on the old code all were held: the
     * dropped batch's PC counted and no loss was said).
     */
    @Test
    void batchesHeldBeyondTheBoundGoOldestFirstAndThoseAfterTheResetCountAsLost() {
        LiveCoverage coverage = new LiveCoverage(4);
        coverage.add(batch(6, 0x10));
        coverage.clear();
        coverage.add(batch(7, 0x20, 0x21)); // made before the agent reset
        coverage.add(batch(8, 0x30, 0x31)); // made after it
        coverage.add(batch(9, 0x40, 0x41));
        coverage.add(batch(10, 0x50, 0x51)); // beyond the bound: 7 and 8 go
        coverage.resetConfirmed(coverage.resetsAsked(), 8);

        assertThat(coverage.hits(0x20)).as("hits of a PC made before the reset").isZero();
        assertThat(coverage.hits(0x30)).as("hits of the PC of the batch dropped for room").isZero();
        assertThat(coverage.losses()).as("batches lost").isEqualTo(1);
        assertThat(coverage.hits(0x40)).isEqualTo(1);
        assertThat(coverage.hits(0x51)).isEqualTo(1);
        assertThat(coverage.takeUpdate().uniquePcs()).isEqualTo(4);
    }

    /**
     * The same at the boundary: a reset confirmed at sequence 1 (the agent's first session starting, or reset before its
     * first batch) says that batches from 1 on are the new coverage, so a first batch numbered 2 means 1 was lost. On
     * the old code a last sequence of 0 read as "nothing known yet", and no loss was said.
     */
    @Test
    void aGapAfterAResetConfirmedAtSequenceOneIsCountedAsLost() {
        LiveCoverage coverage = new LiveCoverage(4);
        coverage.clear();
        coverage.add(batch(1, 0x10, 0x11));
        coverage.add(batch(2, 0x20, 0x21));
        coverage.add(batch(3, 0x30, 0x31)); // beyond the bound: 1 goes
        coverage.resetConfirmed(coverage.resetsAsked(), 1);

        assertThat(coverage.hits(0x10)).as("hits of the PC of the batch dropped for room").isZero();
        assertThat(coverage.losses()).as("batches lost").isEqualTo(1);
        assertThat(coverage.takeUpdate().uniquePcs()).isEqualTo(4);
    }

    /**
     * A connection to an agent that has told nothing yet (no batch, no reset confirmed): its first batch can follow many
     * the agent sent to another controller, and is no sign of a loss.
     */
    @Test
    void theFirstBatchFromAnAgentThatToldNothingYetIsNoLoss() {
        LiveCoverage coverage = new LiveCoverage();
        coverage.agentInstance("running for an hour");
        coverage.add(batch(4000, 0x10));
        coverage.add(batch(4002, 0x20));

        assertThat(coverage.losses()).as("batches lost: 4001 only").isEqualTo(1);
    }
}
