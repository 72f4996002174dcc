package dev.kcovexplorer.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the addresses of {@code symbolize}: one per line, {@code 0x} hex, bare hex or decimal; blank
 * lines and {@code #} comments skipped. A bare token of digits only is decimal, unless the input also
 * holds bare hex tokens with letters ({@code ffffffff81...}), in which case it is hex too (the rule of
 * the kcov text list reader, which this module may not depend on).
 *
 * <p>The input is read as bytes, not decoded into lines of text: a kernel's points are 600k lines, which
 * a reader of lines took a tenth of a second to turn into strings (the first and the second run alike).
 * Lines end at LF, CR or CR LF, as {@link java.io.BufferedReader#readLine()} has them.
 */
final class AddressListParser {
    private final String source;
    private long[] values = new long[1024];
    private boolean[] digitsOnly = new boolean[1024];
    private String[] digitTokens = new String[1024];
    private int size;
    private boolean sawBareHex;

    private AddressListParser(String source) {
        this.source = source;
    }

    /** The addresses in input order; {@code source} names the input in error messages. */
    static long[] parse(InputStream in, String source) throws IOException {
        AddressListParser p = new AddressListParser(source);
        byte[] data = in.readAllBytes();
        int n = data.length;
        int lineNumber = 0;
        int i = 0;
        while (i < n) {
            lineNumber++;
            int start = i;
            int end = start;
            int hash = -1;
            while (end < n && data[end] != '\n' && data[end] != '\r') {
                if (hash < 0 && data[end] == '#') {
                    hash = end;
                }
                end++;
            }
            i = end < n && data[end] == '\r' && end + 1 < n && data[end + 1] == '\n' ? end + 2 : end + 1;
            // The token: the line before any comment, without the blanks and controls String.trim() drops.
            int to = hash >= 0 ? hash : end;
            int from = start;
            while (from < to && (data[from] & 0xff) <= ' ') {
                from++;
            }
            while (to > from && (data[to - 1] & 0xff) <= ' ') {
                to--;
            }
            if (from < to) {
                p.add(data, from, to, lineNumber);
            }
        }
        return p.finish();
    }

    private void add(byte[] b, int from, int to, int lineNumber) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
            digitsOnly = Arrays.copyOf(digitsOnly, size * 2);
            digitTokens = Arrays.copyOf(digitTokens, size * 2);
        }
        if (to - from >= 2 && b[from] == '0' && (b[from + 1] == 'x' || b[from + 1] == 'X')) {
            values[size++] = hex(b, from, from + 2, to, lineNumber);
            return;
        }
        if (isDecimal(b, from, to)) {
            String token = new String(b, from, to - from, StandardCharsets.US_ASCII);
            try {
                values[size] = Long.parseUnsignedLong(token);
            } catch (NumberFormatException e) {
                values[size] = 0;
            }
            digitsOnly[size] = true;
            digitTokens[size] = token;
            size++;
            return;
        }
        values[size++] = hex(b, from, from, to, lineNumber);
        sawBareHex = true;
    }

    /** The hex digits of the token {@code b[from .. to)} from {@code digitsFrom} on. */
    private long hex(byte[] b, int from, int digitsFrom, int to, int lineNumber) {
        int digits = to - digitsFrom;
        if (digits == 0 || digits > 16) {
            throw notAnAddress(b, from, to, lineNumber);
        }
        long value = 0;
        for (int i = digitsFrom; i < to; i++) {
            int digit = hexDigit(b[i]);
            if (digit < 0) {
                throw notAnAddress(b, from, to, lineNumber);
            }
            value = value << 4 | digit;
        }
        return value;
    }

    private static int hexDigit(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private IllegalArgumentException notAnAddress(byte[] b, int from, int to, int lineNumber) {
        String token = new String(b, from, to - from, StandardCharsets.UTF_8);
        return new IllegalArgumentException(source + " line " + lineNumber
                + ": expected an address (0x hex, hex or decimal), got \"" + token + "\"");
    }

    private static boolean isDecimal(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return false;
            }
        }
        return true;
    }

    private long[] finish() {
        if (sawBareHex) {
            for (int i = 0; i < size; i++) {
                if (digitsOnly[i] && digitTokens[i].length() <= 16) {
                    values[i] = Long.parseUnsignedLong(digitTokens[i], 16);
                }
            }
        }
        return Arrays.copyOf(values, size);
    }
}
