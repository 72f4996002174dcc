package dev.kcovexplorer.kcov;

/**
 * Text from files and peers made safe to print: control characters (C0, DEL, C1), line and paragraph
 * separators and the bidirectional overrides are shown as escapes, so a label cannot clear the screen,
 * set a terminal title, forge an output line with a newline, or reorder what follows it.
 */
public final class Printable {
    private Printable() {
    }

    /** {@code text} with every unsafe character escaped ({@code \n}, {@code \e}, {@code \u202e}…); null stays null. */
    public static String of(String text) {
        if (text == null || text.codePoints().noneMatch(Printable::unsafe)) {
            return text;
        }
        StringBuilder safe = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(c -> {
            if (!unsafe(c)) {
                safe.appendCodePoint(c);
            } else if (c == '\n') {
                safe.append("\\n");
            } else if (c == '\r') {
                safe.append("\\r");
            } else if (c == '\t') {
                safe.append("\\t");
            } else if (c == 0x1b) {
                safe.append("\\e");
            } else {
                safe.append(String.format("\\u%04x", c));
            }
        });
        return safe.toString();
    }

    private static boolean unsafe(int c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029
                || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f
                || c == 0x061c;
    }
}
