package dev.kcovexplorer.app.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/** Writes test dumps byte by byte as the kernel lays them out, independently of the code under test. */
final class DumpFiles {
    static final long KERNEL64 = 0xffffffff81000000L;
    static final long KERNEL32 = 0xc1000000L;

    private DumpFiles() {
    }

    /** {@code length} PCs drawn with repeats from {@code points} return addresses above {@code base}. */
    static long[] trace(SplittableRandom random, long base, int length, int points) {
        long[] trace = new long[length];
        for (int i = 0; i < length; i++) {
            trace[i] = base + 5 + 16L * random.nextInt(points);
        }
        return trace;
    }

    static Path pcArea(Path file, int wordSize, long[] pcs, int areaWords) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(areaWords * wordSize).order(ByteOrder.LITTLE_ENDIAN);
        put(b, wordSize, pcs.length);
        for (long pc : pcs) {
            put(b, wordSize, pc);
        }
        return Files.write(file, b.array());
    }

    /** {@code records} CMP records with random types and operands and ips from {@code ips}. */
    static Path cmpArea(Path file, int wordSize, SplittableRandom random, long[] ips, int areaWords) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(areaWords * wordSize).order(ByteOrder.LITTLE_ENDIAN);
        put(b, wordSize, ips.length);
        long operandMask = wordSize == 8 ? -1L : 0xffffffffL;
        for (long ip : ips) {
            put(b, wordSize, random.nextInt(8));
            put(b, wordSize, random.nextLong() & operandMask);
            put(b, wordSize, random.nextLong() & operandMask);
            put(b, wordSize, ip);
        }
        return Files.write(file, b.array());
    }

    /** Text in the styles real tools print: 0x-hex, upper-case 0X, decimal, comments and blank lines. */
    static Path textList(Path file, long[] pcs) throws IOException {
        StringBuilder text = new StringBuilder("# generated list\n");
        for (int i = 0; i < pcs.length; i++) {
            switch (i % 4) {
                case 0 -> text.append("0x").append(Long.toHexString(pcs[i])).append('\n');
                case 1 -> text.append("  0X").append(Long.toHexString(pcs[i]).toUpperCase()).append("  # upper\n");
                case 2 -> text.append(Long.toUnsignedString(pcs[i])).append("\r\n");
                default -> text.append("\n0x").append(Long.toHexString(pcs[i])).append('\n');
            }
        }
        return Files.writeString(file, text, StandardCharsets.US_ASCII);
    }

    static Path bareHexList(Path file, long[] pcs) throws IOException {
        StringBuilder text = new StringBuilder();
        for (long pc : pcs) {
            text.append(Long.toHexString(pc)).append('\n');
        }
        return Files.writeString(file, text, StandardCharsets.US_ASCII);
    }

    static Path gzip(Path plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(Files.readAllBytes(plain));
        }
        return Files.write(plain.resolveSibling(plain.getFileName() + ".gz"), bytes.toByteArray());
    }

    private static void put(ByteBuffer b, int wordSize, long value) {
        if (wordSize == 8) {
            b.putLong(value);
        } else {
            b.putInt((int) value);
        }
    }
}
