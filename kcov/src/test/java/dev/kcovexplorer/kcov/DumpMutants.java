package dev.kcovexplorer.kcov;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Generates broken variants of kcov areas (bit flips, truncations, count words, bombs, trailing junk)
 * and says, independently of the reader, what a correct reader must make of each: the entries a valid
 * area holds, or "invalid". The rules are the kernel's layout written out again, not the reader's code.
 */
final class DumpMutants {
    /** What a mutant was built from: its bytes (plain), word size and mode. */
    record Base(String name, byte[] area, int wordSize, TraceMode mode) {
    }

    record Mutant(String name, byte[] bytes, boolean gzipped, Base base) {
    }

    /** Decompressed data: its first bytes (all the entries a sane count covers) and its whole length. */
    record Plain(byte[] head, long length) {
    }

    /** The expected reading: null entries means the reader must refuse the file. */
    record Expected(long[] entries, boolean overflowed) {
        boolean valid() {
            return entries != null;
        }
    }

    private static final long MIN_CODE = 0x10000;

    private DumpMutants() {
    }

    static List<Base> bases() {
        Random random = new Random(19);
        long[] pcs64 = new long[2000];
        for (int i = 0; i < pcs64.length; i++) {
            pcs64[i] = 0xffffffff81000000L + 5 + 16L * random.nextInt(1 << 20);
        }
        long[] pcs32 = new long[1000];
        for (int i = 0; i < pcs32.length; i++) {
            pcs32[i] = 0xc1000000L + 5 + 16L * random.nextInt(1 << 16);
        }
        long[] records = new long[4 * 300];
        for (int i = 0; i < 300; i++) {
            records[4 * i] = random.nextInt(KcovAbi.KCOV_CMP_MAX_TYPE + 1);
            records[4 * i + 1] = random.nextLong();
            records[4 * i + 2] = random.nextInt(100);
            records[4 * i + 3] = 0xffffffff81000000L + 5 + 16L * random.nextInt(1 << 20);
        }
        return List.of(
                new Base("pc64", Areas.pcArea(8, pcs64, 4096), 8, TraceMode.PC),
                new Base("pc32", Areas.pcArea(4, pcs32, 2048), 4, TraceMode.PC),
                new Base("cmp64", Areas.cmpArea(8, records, 2048), 8, TraceMode.CMP),
                new Base("pc64-exact", Areas.pcArea(8, Arrays.copyOf(pcs64, 700), 701), 8, TraceMode.PC));
    }

    /** {@code perBase} plain mutants of each base and as many gzipped ones. */
    /** The largest bomb in MiB: small in the suite, {@code -Dkcovexplorer.bombMiB=2048} for the full-size run. */
    static int bombScale() {
        return Integer.getInteger("kcovexplorer.bombMiB", 16);
    }

    static List<Mutant> generate(int perBase, long seed, int bombMiB) {
        Random random = new Random(seed);
        List<Mutant> out = new ArrayList<>();
        for (Base base : bases()) {
            for (int i = 0; i < perBase; i++) {
                out.add(plainMutant(base, i, random));
            }
            for (int i = 0; i < perBase; i++) {
                out.add(gzipMutant(base, i, random, bombMiB));
            }
        }
        return out;
    }

    private static Mutant plainMutant(Base base, int i, Random random) {
        byte[] a = base.area.clone();
        int w = base.wordSize;
        switch (i % 6) {
            case 0 -> {
                for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                    int at = random.nextInt(a.length);
                    a[at] ^= (byte) (1 << random.nextInt(8));
                }
                return new Mutant(base.name + "-bitflip-" + i, a, false, base);
            }
            case 1 -> {
                return new Mutant(base.name + "-truncated-" + i, Arrays.copyOf(a, random.nextInt(a.length)), false, base);
            }
            case 2 -> {
                long[] counts = {0, 1, capacity(base, a.length), capacity(base, a.length) + 1, 1L << 31,
                        (1L << 28) + 1, 536_870_911L, 0xffff_ffffL, random.nextLong(), 1L << 40 | 5};
                putWord(a, 0, w, counts[random.nextInt(counts.length)]);
                return new Mutant(base.name + "-count-" + i, a, false, base);
            }
            case 3 -> {
                // The count's upper half in a 64-bit area (the misread-as-32-bit case), or any byte of it.
                a[random.nextInt(w == 8 ? 8 : 4)] = (byte) random.nextInt(256);
                return new Mutant(base.name + "-countbyte-" + i, a, false, base);
            }
            case 4 -> {
                byte[] junk = new byte[1 + random.nextInt(64)];
                random.nextBytes(junk);
                byte[] b = Arrays.copyOf(a, a.length + junk.length);
                System.arraycopy(junk, 0, b, a.length, junk.length);
                return new Mutant(base.name + "-junk-" + i, b, false, base);
            }
            default -> {
                // Zero a stretch inside the entries: the count reaches into zeros.
                int from = w + random.nextInt(Math.max(1, a.length - w));
                Arrays.fill(a, from, Math.min(a.length, from + 8 * (1 + random.nextInt(64))), (byte) 0);
                return new Mutant(base.name + "-zeros-" + i, a, false, base);
            }
        }
    }

    private static Mutant gzipMutant(Base base, int i, Random random, int bombMiB) {
        switch (i % 5) {
            case 0 -> {
                byte[] gz = gzip(base.area);
                // Flip a byte after the 10-byte header: the deflate data or the trailer.
                gz[10 + random.nextInt(gz.length - 10)] ^= (byte) (1 + random.nextInt(255));
                return new Mutant(base.name + "-gz-flip-" + i, gz, true, base);
            }
            case 1 -> {
                byte[] gz = gzip(base.area);
                return new Mutant(base.name + "-gz-truncated-" + i, Arrays.copyOf(gz, random.nextInt(gz.length)), true, base);
            }
            case 2 -> {
                byte[] gz = gzip(base.area);
                byte[] junk = new byte[1 + random.nextInt(40)];
                random.nextBytes(junk);
                junk[0] = (byte) (junk[0] == 0x1f ? 0x1e : junk[0]);
                byte[] b = Arrays.copyOf(gz, gz.length + junk.length);
                System.arraycopy(junk, 0, b, gz.length, junk.length);
                return new Mutant(base.name + "-gz-junk-" + i, b, true, base);
            }
            case 3 -> {
                // A count bomb: a huge count over data that compresses well, repeated real entries.
                long bytes = (1L + random.nextInt(bombMiB)) << 20;
                byte[] entries = Arrays.copyOfRange(base.area, base.wordSize, base.wordSize * 65);
                byte[] head = base.area.clone();
                putWord(head, 0, base.wordSize, random.nextBoolean() ? 536_870_911L : (1L << 28) - 1);
                return new Mutant(base.name + "-gz-countbomb-" + i, gzipRepeated(Arrays.copyOf(head, base.wordSize),
                        entries, bytes), true, base);
            }
            default -> {
                // A zero bomb: a valid area followed by many MiB of zeros (a legal, if odd, unused tail).
                byte[] zeros = new byte[1 << 20];
                return new Mutant(base.name + "-gz-zerobomb-" + i, gzipRepeated(base.area, zeros,
                        (1L + random.nextInt(bombMiB)) << 20), true, base);
            }
        }
    }

    /** What a correct reader makes of these plain (decompressed) bytes, read with automatic detection. */
    static Expected expect(Base base, Plain plain) {
        int w = base.wordSize;
        int epw = base.mode.wordsPerEntry();
        long length = plain.length();
        if (length == 0 || length % w != 0 || plain.head().length < w) {
            return new Expected(null, false);
        }
        ByteBuffer b = ByteBuffer.wrap(plain.head()).order(ByteOrder.LITTLE_ENDIAN);
        long count = word(b, 0, w);
        long capacity = capacity(base, length);
        // The largest area the default entry limit allows, in whole pages, bounds the unused tail.
        long largestArea = ((DumpOptions.DEFAULT_MAX_ENTRIES * epw + 1) * w + 4095) / 4096 * 4096;
        if (count < 0 || count > capacity || count > DumpOptions.DEFAULT_MAX_ENTRIES || length > largestArea
                || (count + 1) * epw * w > plain.head().length) {
            return new Expected(null, false);
        }
        long[] entries = new long[(int) count];
        // CMP: a record whose ip is no code is a damaged record, read and reported; zero records from some
        // index to the end, more than one, mean a wrong count. Detection wants the first record's ip to be
        // code and at most half of the first 4096 records' to be none.
        long zeroTailStart = -1;
        int badInSample = 0;
        for (int i = 0; i < count; i++) {
            int at = w + i * w * epw;
            if (base.mode == TraceMode.CMP && Long.compareUnsigned(word(b, at, w), KcovAbi.KCOV_CMP_MAX_TYPE) > 0) {
                return new Expected(null, false);
            }
            long pc = word(b, at + (epw - 1) * w, w);
            boolean noCode = Long.compareUnsigned(pc, MIN_CODE) < 0;
            if (noCode && (base.mode == TraceMode.PC || i == 0)) {
                return new Expected(null, false);
            }
            if (base.mode == TraceMode.CMP) {
                badInSample += noCode && i < 4096 ? 1 : 0;
                boolean zero = pc == 0 && word(b, at, w) == 0 && word(b, at + w, w) == 0 && word(b, at + 2 * w, w) == 0;
                zeroTailStart = zero ? (zeroTailStart < 0 ? i : zeroTailStart) : -1;
            }
            entries[i] = pc;
        }
        if (zeroTailStart >= 0 && count - zeroTailStart > 1 || badInSample * 2 > Math.min(count, 4096)) {
            return new Expected(null, false);
        }
        boolean overflowed = count > 0 && count == capacity && length % 4096 == 0;
        return new Expected(entries, overflowed);
    }

    private static long capacity(Base base, long length) {
        return (length / base.wordSize - 1) / base.mode.wordsPerEntry();
    }

    private static long word(ByteBuffer b, int at, int w) {
        return w == 8 ? b.getLong(at) : Integer.toUnsignedLong(b.getInt(at));
    }

    private static void putWord(byte[] a, int at, int w, long value) {
        ByteBuffer b = ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN);
        if (w == 8) {
            b.putLong(at, value);
        } else {
            b.putInt(at, (int) value);
        }
    }

    static byte[] gzip(byte[] data) {
        return Areas.gzip(data);
    }

    private static byte[] gzipRepeated(byte[] head, byte[] unit, long totalBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
            gz.write(head);
            byte[] chunk = new byte[1 << 20];
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] = unit[i % unit.length];
            }
            for (long written = 0; written < totalBytes; written += chunk.length) {
                gz.write(chunk);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
