package dev.kcovexplorer.app.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads the addresses of {@code symbolize}: one per line, {@code 0x} hex, bare hex or decimal; blank
 * lines and {@code #} comments skipped. A bare token of digits only is decimal, unless the input also
 * holds bare hex tokens with letters ({@code ffffffff81...}), in which case it is hex too (the rule of
 * the kcov text list reader, which this module may not depend on).
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
    static long[] parse(BufferedReader in, String source) throws IOException {
        AddressListParser p = new AddressListParser(source);
        String line;
        int lineNumber = 0;
        while ((line = in.readLine()) != null) {
            lineNumber++;
            int hash = line.indexOf('#');
            String token = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (!token.isEmpty()) {
                p.add(token, lineNumber);
            }
        }
        return p.finish();
    }

    private void add(String token, int lineNumber) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
            digitsOnly = Arrays.copyOf(digitsOnly, size * 2);
            digitTokens = Arrays.copyOf(digitTokens, size * 2);
        }
        if (token.startsWith("0x") || token.startsWith("0X")) {
            values[size++] = hex(token, 2, lineNumber);
            return;
        }
        if (isDecimal(token)) {
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
        values[size++] = hex(token, 0, lineNumber);
        sawBareHex = true;
    }

    /** The hex digits of {@code token} from {@code from} on, read in place: a kernel's points are 600k lines. */
    private long hex(String token, int from, int lineNumber) {
        int digits = token.length() - from;
        if (digits == 0 || digits > 16) {
            throw notAnAddress(token, lineNumber);
        }
        long value = 0;
        for (int i = from; i < token.length(); i++) {
            int digit = Character.digit(token.charAt(i), 16);
            if (digit < 0) {
                throw notAnAddress(token, lineNumber);
            }
            value = value << 4 | digit;
        }
        return value;
    }

    private IllegalArgumentException notAnAddress(String token, int lineNumber) {
        return new IllegalArgumentException(source + " line " + lineNumber
                + ": expected an address (0x hex, hex or decimal), got \"" + token + "\"");
    }

    private static boolean isDecimal(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
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
