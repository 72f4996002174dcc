package dev.kcovexplorer.kcov.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.kcov.TraceMode;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongPredicate;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** {@link CoverageArea}'s drain protocol against the kernel's write paths, concurrently and step by step. */
class CoverageAreaTest {
    private static final long PC_BASE = 0xffffffff81000000L;

    @Test
    void drainsWhatTheKernelWroteAndResetsTheCount() throws Exception {
        ByteBuffer buffer = KernelWriter.newArea(16);
        KernelWriter kernel = new KernelWriter(buffer);
        CoverageArea area = new CoverageArea(buffer, TraceMode.PC);
        kernel.tracePcEntryFirst(PC_BASE + 1);
        kernel.tracePcEntryFirst(PC_BASE + 2);

        CoverageChunk chunk = area.drain();

        assertThat(chunk.words()).containsExactly(PC_BASE + 1, PC_BASE + 2);
        assertThat(chunk.overflow()).isFalse();
        assertThat(buffer.getLong(0)).as("count after the reset").isZero();
        assertThat(area.drain().isEmpty()).isTrue();
    }

    @Test
    void aFullAreaIsReportedAsOverflow() throws Exception {
        ByteBuffer buffer = KernelWriter.newArea(4);
        KernelWriter kernel = new KernelWriter(buffer);
        CoverageArea area = new CoverageArea(buffer, TraceMode.PC);
        int written = 0;
        for (int i = 1; i <= 5; i++) {
            written += kernel.tracePcEntryFirst(PC_BASE + i) ? 1 : 0;
        }

        CoverageChunk chunk = area.drain();

        assertThat(written).isEqualTo(3);
        assertThat(chunk.words()).containsExactly(PC_BASE + 1, PC_BASE + 2, PC_BASE + 3);
        assertThat(chunk.overflow()).isTrue();
        kernel.tracePcEntryFirst(PC_BASE + 9);
        assertThat(area.drain().overflow()).isFalse();
    }

    @Test
    void aWriterThatReadTheCountBeforeTheResetLeavesHolesThatAreSkipped() throws Exception {
        ByteBuffer buffer = KernelWriter.newArea(16);
        KernelWriter kernel = new KernelWriter(buffer);
        CoverageArea area = new CoverageArea(buffer, TraceMode.PC);
        kernel.moveArea(new long[] {PC_BASE + 1, PC_BASE + 2, PC_BASE + 3});
        assertThat(area.drain().words()).hasSize(3);

        // kcov_move_area read count 3 before the reset and finishes after it.
        kernel.setWord(4, PC_BASE + 4);
        kernel.setWord(5, PC_BASE + 5);
        kernel.setCount(5);

        assertThat(area.drain().words()).containsExactly(PC_BASE + 4, PC_BASE + 5);
        kernel.moveArea(new long[] {PC_BASE + 6});
        assertThat(area.drain().words()).containsExactly(PC_BASE + 6);
    }

    @Test
    void anEntryWhoseCountIsAheadOfItIsPickedUpByTheNextDrain() throws Exception {
        ByteBuffer buffer = KernelWriter.newArea(16);
        KernelWriter kernel = new KernelWriter(buffer);
        CoverageArea area = new CoverageArea(buffer, TraceMode.PC);
        kernel.tracePcEntryFirst(PC_BASE + 1);
        kernel.setCount(2); // Linux >= 6.3 stores the count, then the entry

        assertThat(area.drain().words()).containsExactly(PC_BASE + 1);
        kernel.setWord(2, PC_BASE + 2);
        assertThat(area.drain().words()).containsExactly(PC_BASE + 2);
    }

    @Test
    void aPendingEntryRightAfterAResetIsNotMistakenForAHole() throws Exception {
        ByteBuffer buffer = KernelWriter.newArea(16);
        KernelWriter kernel = new KernelWriter(buffer);
        long[] now = {0};
        CoverageArea area = new CoverageArea(buffer, TraceMode.PC, () -> now[0]);
        kernel.moveArea(new long[] {PC_BASE + 1, PC_BASE + 2, PC_BASE + 3});
        area.drain();

        kernel.setCount(1); // a new writer claimed slot 1, which lies in the span just reset

        assertThat(area.drain().words()).isEmpty();
        now[0] += 200_000_000L; // its task was preempted before it stored the entry
        assertThat(area.drain().words()).isEmpty();
        kernel.setWord(1, PC_BASE + 7);
        assertThat(area.drain().words()).containsExactly(PC_BASE + 7);
    }

    @Test
    void zerosLeftByAStaleWriterInAFullAreaDoNotBlockItForever() throws Exception {
        ByteBuffer buffer = KernelWriter.newArea(4);
        KernelWriter kernel = new KernelWriter(buffer);
        long[] now = {0};
        CoverageArea area = new CoverageArea(buffer, TraceMode.PC, () -> now[0]);
        kernel.moveArea(new long[] {PC_BASE + 1, PC_BASE + 2, PC_BASE + 3});
        area.drain();
        kernel.setCount(3); // kcov_move_area saw a full area before the reset and moved nothing

        area.drain();
        now[0] += 500_000_000L;
        area.drain();
        assertThat(buffer.getLong(0)).as("half a second later the zeros may still be stores in flight").isEqualTo(3);
        now[0] += 600_000_000L;
        CoverageChunk later = area.drain();

        assertThat(later.words()).isEmpty();
        assertThat(buffer.getLong(0)).as("the stale count was consumed and reset").isZero();
        kernel.moveArea(new long[] {PC_BASE + 4});
        assertThat(area.drain().words()).containsExactly(PC_BASE + 4);
    }

    @Test
    void comparisonRecordsWithZeroOperandsAreKept() throws Exception {
        ByteBuffer buffer = KernelWriter.newArea(1 + 4 * 3);
        KernelWriter kernel = new KernelWriter(buffer);
        CoverageArea area = new CoverageArea(buffer, TraceMode.CMP);
        kernel.traceCmp(0, 0, 0, PC_BASE + 1);
        kernel.traceCmp(7, 0x10, 0, PC_BASE + 2);

        CoverageChunk chunk = area.drain();

        assertThat(chunk.entryCount()).isEqualTo(2);
        assertThat(chunk.words()).containsExactly(0, 0, 0, PC_BASE + 1, 7, 0x10, 0, PC_BASE + 2);
        assertThat(area.capacityEntries()).isEqualTo(3);
    }

    @Test
    void concurrentLocalTracingLosesAndDuplicatesNothing() throws Exception {
        assertConcurrentDrainIsExact(kernel -> pc -> kernel.tracePcEntryFirst(pc));
    }

    @Test
    void concurrentCountFirstTracingLosesAndDuplicatesNothing() throws Exception {
        assertConcurrentDrainIsExact(kernel -> pc -> kernel.tracePcCountFirst(pc));
    }

    @Test
    void concurrentRemoteSectionsLoseAndDuplicateNothing() throws Exception {
        assertConcurrentDrainIsExact(kernel -> pc -> kernel.moveArea(new long[] {pc}) == 1);
    }

    /** One writer thread traces 300k distinct PCs into a small area while this thread drains it. */
    private static void assertConcurrentDrainIsExact(java.util.function.Function<KernelWriter, LongPredicate> path)
            throws Exception {
        ByteBuffer buffer = KernelWriter.newArea(4096);
        KernelWriter kernel = new KernelWriter(buffer);
        LongPredicate trace = path.apply(kernel);
        CoverageArea area = new CoverageArea(buffer, TraceMode.PC);
        int total = 300_000;
        long[] stored = new long[total];
        int[] storedCount = {0};
        AtomicBoolean done = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            for (int i = 1; i <= total; i++) {
                if (trace.test(PC_BASE + i)) {
                    stored[storedCount[0]++] = PC_BASE + i;
                }
            }
            done.set(true);
        });
        long[] drained = new long[total];
        int drainedCount = 0;
        boolean overflowSeen = false;
        writer.start();
        while (!done.get()) {
            CoverageChunk chunk = area.drain();
            System.arraycopy(chunk.words(), 0, drained, drainedCount, chunk.words().length);
            drainedCount += chunk.words().length;
            overflowSeen |= chunk.overflow();
        }
        writer.join();
        for (int i = 0; i < 3; i++) { // the last entries, and any trailing zeros that need a second look
            CoverageChunk chunk = area.drain();
            System.arraycopy(chunk.words(), 0, drained, drainedCount, chunk.words().length);
            drainedCount += chunk.words().length;
            overflowSeen |= chunk.overflow();
        }

        long[] expected = Arrays.copyOf(stored, storedCount[0]);
        long[] actual = Arrays.copyOf(drained, drainedCount);
        int firstDifference = Arrays.mismatch(actual, expected);
        assertThat(firstDifference)
                .as("first difference between %d drained and %d stored PCs", actual.length, expected.length)
                .isEqualTo(-1);
        if (storedCount[0] < total) {
            assertThat(overflowSeen).as("the kernel dropped %d PCs", total - storedCount[0]).isTrue();
        }
        assertThat(LongStream.of(actual).allMatch(pc -> pc != 0)).isTrue();
    }
}
