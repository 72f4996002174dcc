package dev.kcovexplorer.app.model.cmp;

/**
 * How comparison operands read to a person: hex padded to the operand size (so {@code 0x0409} for a
 * 2-byte constant, as the source writes it), decimal, and the bytes as characters when every byte of
 * the operand is printable ASCII (in memory order, little-endian, as a fuzzer would feed them).
 */
public final class OperandText {
    private OperandText() {
    }

    /** {@code 0x} and the value in hex, padded to two digits per operand byte (size 0: unpadded). */
    public static String hex(long value, int size) {
        String digits = Long.toHexString(value);
        int width = Math.min(16, 2 * Math.max(0, size));
        if (digits.length() >= width) {
            return "0x" + digits;
        }
        return "0x" + "0".repeat(width - digits.length()) + digits;
    }

    /** Unsigned decimal, and the signed reading too when the operand's sign bit is set. */
    public static String decimal(long value, int size) {
        String unsigned = Long.toUnsignedString(value);
        int bits = size <= 0 || size >= 8 ? 64 : size * 8;
        long signed = bits == 64 ? value : value << (64 - bits) >> (64 - bits);
        boolean fits = bits == 64 || value >>> bits == 0;
        return signed < 0 && fits ? unsigned + " = " + signed : unsigned;
    }

    /** The operand's bytes as characters in quotes, or null when a byte is not printable ASCII. */
    public static String characters(long value, int size) {
        int bytes = size <= 0 ? 8 : Math.min(8, size);
        if (bytes < 8 && value >>> (bytes * 8) != 0) {
            return null; // wider than the operand (a sign-extended switch value): no byte string
        }
        StringBuilder text = new StringBuilder(bytes + 2).append('\'');
        for (int i = 0; i < bytes; i++) {
            int b = (int) (value >>> (8 * i)) & 0xff;
            if (b < 0x20 || b > 0x7e) {
                return null;
            }
            text.append((char) b);
        }
        return text.append('\'').toString();
    }

    /** Hex, decimal and (when printable) characters: {@code 0x4b (75) 'K'}. */
    public static String describe(long value, int size) {
        String chars = characters(value, size);
        StringBuilder text = new StringBuilder(48).append(hex(value, size)).append(" (").append(decimal(value, size))
                .append(')');
        return chars == null ? text.toString() : text.append(' ').append(chars).toString();
    }
}
