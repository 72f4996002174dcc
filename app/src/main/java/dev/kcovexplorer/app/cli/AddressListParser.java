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
            values[size++] = hex(token.substring(2), token, lineNumber);
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
        values[size++] = hex(token, token, lineNumber);
        sawBareHex = true;
    }

    private long hex(String digits, String token, int lineNumber) {
        if (digits.isEmpty() || digits.length() > 16 || !isHex(digits)) {
            throw new IllegalArgumentException(source + " line " + lineNumber
                    + ": expected an address (0x hex, hex or decimal), got \"" + token + "\"");
        }
        return Long.parseUnsignedLong(digits, 16);
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

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
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
