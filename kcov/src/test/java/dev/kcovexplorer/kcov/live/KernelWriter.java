package dev.kcovexplorer.kcov.live;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes a kcov area the way kernel/kcov.c does, for testing {@link CoverageArea}'s reader on machines
 * without kcov. Each method is a line-by-line transcription of one kernel write path; release stores
 * stand for x86-64's in-order store visibility.
 */
final class KernelWriter {
    private static final VarHandle WORD = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final ByteBuffer area;
    private final long sizeWords;

    KernelWriter(ByteBuffer area) {
        this.area = area;
        this.sizeWords = area.capacity() / 8;
    }

    static ByteBuffer newArea(int words) {
        ByteBuffer aligned = ByteBuffer.allocateDirect(words * 8 + 8).alignedSlice(8);
        return aligned.limit(words * 8).slice().order(ByteOrder.nativeOrder());
    }

    /** {@code __sanitizer_cov_trace_pc} before Linux 6.3: entry first, then the count. */
    boolean tracePcEntryFirst(long pc) {
        long pos = (long) WORD.getOpaque(area, 0) + 1;
        if (pos < sizeWords) {
            WORD.setRelease(area, (int) pos * 8, pc);
            WORD.setRelease(area, 0, pos);
            return true;
        }
        return false;
    }

    /** {@code __sanitizer_cov_trace_pc} since Linux 6.3: the count first, then the entry. */
    boolean tracePcCountFirst(long pc) {
        long pos = (long) WORD.getOpaque(area, 0) + 1;
        if (pos < sizeWords) {
            WORD.setRelease(area, 0, pos);
            Thread.onSpinWait(); // widen the window in which the count is ahead of the entry
            WORD.setRelease(area, (int) pos * 8, pc);
            return true;
        }
        return false;
    }

    /** {@code write_comp_data}: a 4-word record {type, arg1, arg2, ip}, entry first. */
    boolean traceCmp(long type, long arg1, long arg2, long ip) {
        long count = (long) WORD.getOpaque(area, 0);
        long start = 1 + count * 4;
        if ((start + 4) * 8 <= sizeWords * 8) {
            WORD.setRelease(area, (int) start * 8, type);
            WORD.setRelease(area, (int) (start + 1) * 8, arg1);
            WORD.setRelease(area, (int) (start + 2) * 8, arg2);
            WORD.setRelease(area, (int) (start + 3) * 8, ip);
            WORD.setRelease(area, 0, count + 1);
            return true;
        }
        return false;
    }

    /**
     * {@code kcov_move_area} in PC mode at the end of a remote section: reads the count, copies as many
     * entries as fit after it, then stores the new count. Returns how many entries were moved.
     */
    int moveArea(long[] pcs) {
        long dstLen = (long) WORD.getOpaque(area, 0);
        long free = sizeWords - 1 - dstLen;
        int moved = (int) Math.max(0, Math.min(free, pcs.length));
        for (int i = 0; i < moved; i++) {
            WORD.setRelease(area, (int) (1 + dstLen + i) * 8, pcs[i]);
        }
        WORD.setRelease(area, 0, dstLen + moved);
        return moved;
    }

    void setCount(long count) {
        WORD.setRelease(area, 0, count);
    }

    void setWord(int index, long value) {
        WORD.setRelease(area, index * 8, value);
    }
}
