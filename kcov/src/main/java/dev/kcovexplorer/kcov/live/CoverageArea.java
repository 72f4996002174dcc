package dev.kcovexplorer.kcov.live;

import dev.kcovexplorer.kcov.TraceMode;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * A kcov area shared with the kernel, read while the kernel keeps writing it.
 *
 * <p>The kernel's side: word 0 is the count of entries that follow. A task tracing locally appends with
 * a plain read of the count, a store of the entry and a {@code WRITE_ONCE} of the new count (kernels
 * since 6.3 store the count first and the entry after it). A remote section ends in
 * {@code kcov_move_area()}, which reads the count, copies its entries after it and then stores the new
 * count. Writers into one area never run concurrently with each other, and none of them uses an atomic
 * read-modify-write on the count, so a reset by user space can race with a writer that read the count
 * just before it.
 *
 * <p>The protocol, which loses no entry and reports none twice:
 * <ol>
 *   <li>Read the count with acquire semantics; everything the kernel stored before it is visible.</li>
 *   <li>Copy the entries after the ones already consumed. Kernel PCs are never 0, so an entry whose PC
 *       (the last word of a comparison record) is still 0 has not been stored yet: the copy stops before
 *       it and the next drain picks it up.</li>
 *   <li>Reset: store 0 into every consumed entry, then compare-and-set the count from "consumed" to 0.
 *       If the count moved, the kernel appended meanwhile: keep everything and try again next drain.</li>
 *   <li>A writer that read the old count before the reset still appends after it and stores count = old
 *       count + n. The entries in front of its entries are the zeros of step 3: they are skipped as
 *       holes, but only within the span that was reset, so a slow store elsewhere is never mistaken for
 *       a hole. Zeros that trail the count inside that span are either such holes or a store still in
 *       flight: they are left for later drains, and taken as holes once the count has not moved for a
 *       second.</li>
 * </ol>
 * A count that reached the capacity means the kernel silently dropped entries: the chunk says overflow.
 * On x86-64 the kernel's stores become visible in program order, which the protocol relies on.
 *
 * <p>Thread safety: all methods are synchronized; {@link #close()} makes later calls fail instead of
 * touching unmapped memory.
 */
public final class CoverageArea {
    /** The largest area kcov accepts, in words ({@code INT_MAX / sizeof(unsigned long)}). */
    public static final int MAX_WORDS = Integer.MAX_VALUE / KcovIoctls.WORD_SIZE;

    /** A steadily writing kernel can move the count between our zeroing and our compare-and-set. */
    private static final int RESET_ATTEMPTS = 4;
    private static final long[] ZEROS = new long[8192];
    /**
     * Trailing zeros in the reset span that stay this long are holes: a store in flight lands within
     * instructions, unless its task is preempted right between storing the count and the entry.
     */
    private static final long HOLE_AFTER_NANOS = 1_000_000_000L;
    private static final VarHandle WORD =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final ByteBuffer area;
    private final LongBuffer words;
    private final TraceMode mode;
    private final int capacityEntries;
    private final int width;
    /** Entries already copied out since the last successful reset. */
    private int consumed;
    /** Entries 1..zeroedUpTo are consumed and already overwritten with zeros. */
    private int zeroedUpTo;
    /** The count at which trailing zeros were first seen, and when: unchanged for long, they are holes. */
    private long stalledCount = -1;
    private long stalledSince;
    private final LongSupplier nanoClock;
    /** After a reset, entries 1..holeEnd may be zeros left by the reset rather than pending stores. */
    private int holeEnd;
    private boolean closed;

    /**
     * @param area the whole area (word 0 = count), a direct buffer; the kernel's mapping in production,
     *             any direct buffer in tests
     */
    public CoverageArea(ByteBuffer area, TraceMode mode) {
        this(area, mode, System::nanoTime);
    }

    CoverageArea(ByteBuffer area, TraceMode mode, LongSupplier nanoClock) {
        if (!area.isDirect()) {
            throw new IllegalArgumentException("a kcov area must be a direct buffer");
        }
        int totalWords = area.capacity() / KcovIoctls.WORD_SIZE;
        if (totalWords < 2) {
            throw new IllegalArgumentException("a kcov area needs at least 2 words, got " + totalWords);
        }
        this.area = area;
        this.words = area.duplicate().order(ByteOrder.nativeOrder()).asLongBuffer();
        this.mode = mode;
        this.width = mode.wordsPerEntry();
        this.nanoClock = nanoClock;
        // PC: entry i lives in word i and the kernel stops at i == size. CMP: records fit after word 0.
        this.capacityEntries = (totalWords - 1) / mode.wordsPerEntry();
    }

    public TraceMode mode() {
        return mode;
    }

    /** How many entries fit before the kernel starts dropping them. */
    public int capacityEntries() {
        return capacityEntries;
    }

    /** Copies out every entry written since the last drain and resets the area (see the class comment). */
    public synchronized CoverageChunk drain() throws KcovException {
        if (closed) {
            throw KcovException.closed();
        }
        long[] out = new long[0];
        int outLength = 0;
        boolean overflow = false;
        for (int attempt = 0; attempt < RESET_ATTEMPTS; attempt++) {
            long count = (long) WORD.getAcquire(area, 0);
            overflow |= count >= capacityEntries || count < 0;
            int available = (int) Math.min(Math.max(count, 0), capacityEntries);
            if (available < consumed) {
                consumed = 0; // only a misbehaving writer shrinks the count: start over, never read past it
                zeroedUpTo = 0;
            }
            long[] raw = copyEntries(consumed, available);
            int usable = usableEntries(raw, consumed, available);
            if (out.length < outLength + usable * width) {
                out = Arrays.copyOf(out, Math.max(outLength + usable * width, out.length * 2));
            }
            outLength = appendStored(raw, usable, out, outLength);
            consumed += usable;
            if (consumed == 0 || tryReset()) {
                break;
            }
        }
        return new CoverageChunk(mode, outLength == out.length ? out : Arrays.copyOf(out, outLength), overflow);
    }

    synchronized void close() {
        closed = true;
    }

    /** Raw words of entries {@code from+1 .. to}. */
    private long[] copyEntries(int from, int to) {
        long[] raw = new long[(to - from) * width];
        words.get(1 + from * width, raw, 0, raw.length);
        return raw;
    }

    /**
     * How many of the copied entries can be consumed now: up to the first one not stored yet. A zero
     * inside the span of the last reset is a hole, unless it trails the count, where it may also be the
     * pending store of a writer that started after the reset; trailing zeros still there a second later
     * with the same count are holes.
     */
    private int usableEntries(long[] raw, int from, long count) {
        int entries = raw.length / width;
        for (int i = 0; i < entries; i++) {
            if (raw[i * width + width - 1] == 0 && from + i + 1 > holeEnd) {
                return i;
            }
        }
        int end = entries;
        while (end > 0 && raw[end * width - 1] == 0) {
            end--;
        }
        if (end < entries) {
            long now = nanoClock.getAsLong();
            if (count != stalledCount) {
                stalledCount = count;
                stalledSince = now;
            } else if (now - stalledSince >= HOLE_AFTER_NANOS) {
                return entries;
            }
        }
        return end;
    }

    /** Appends the stored ones of the first {@code entries} entries, a run between holes at a time. */
    private int appendStored(long[] raw, int entries, long[] out, int outLength) {
        int length = outLength;
        int end = entries * width;
        int run = 0;
        for (int i = 0; i < end; i += width) {
            if (raw[i + width - 1] == 0) {
                System.arraycopy(raw, run, out, length, i - run);
                length += i - run;
                run = i + width;
            }
        }
        System.arraycopy(raw, run, out, length, end - run);
        return length + end - run;
    }

    private boolean tryReset() {
        for (int word = 1 + zeroedUpTo * width; word < 1 + consumed * width; word += ZEROS.length) {
            words.put(word, ZEROS, 0, Math.min(ZEROS.length, 1 + consumed * width - word));
        }
        zeroedUpTo = consumed;
        if (!WORD.compareAndSet(area, 0, (long) consumed, 0L)) {
            return false;
        }
        holeEnd = consumed;
        consumed = 0;
        zeroedUpTo = 0;
        stalledCount = -1;
        return true;
    }
}
