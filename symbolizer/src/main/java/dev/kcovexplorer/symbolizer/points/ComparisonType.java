package dev.kcovexplorer.symbolizer.points;

/**
 * What a comparison site is, packed in one byte so that hundreds of thousands of sites stay a
 * {@code byte[]}: bit 0 = reached by a tail call ({@code jmp}), bits 1–2 = log2 of the operand size in
 * bytes (as kcov's record type has them), bits 3–4 = the {@link Kind}. A switch site's operand size
 * is in its case table, not in the callback's name: it is {@link #UNKNOWN_SIZE} until records show it.
 */
public final class ComparisonType {
    /** The callback a site calls. */
    public enum Kind {
        /** {@code __sanitizer_cov_trace_cmpN}: two variable operands. */
        CMP("cmp"),
        /** {@code __sanitizer_cov_trace_const_cmpN}: {@code arg1} is a compile-time constant. */
        CONST("const"),
        /** {@code __sanitizer_cov_trace_switch}: one record per case, {@code arg1} the case value. */
        SWITCH("switch");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        /** "cmp", "const" or "switch", as the CLI and the reports spell it. */
        public String id() {
            return id;
        }
    }

    /** {@link #size(byte)} of a switch site: the case table says, the callback's name does not. */
    public static final int UNKNOWN_SIZE = 0;
    private static final int TAIL = 1;
    private static final Kind[] KINDS = Kind.values();

    private ComparisonType() {
    }

    /** The type of a call of a callback with this name, or -1 when it is no comparison callback. */
    public static int ofCallback(String name) {
        if (name.equals("__sanitizer_cov_trace_switch")) {
            return Kind.SWITCH.ordinal() << 3;
        }
        String prefix = name.startsWith("__sanitizer_cov_trace_const_cmp") ? "__sanitizer_cov_trace_const_cmp"
                : name.startsWith("__sanitizer_cov_trace_cmp") ? "__sanitizer_cov_trace_cmp" : null;
        if (prefix == null) {
            return -1;
        }
        int log2;
        switch (name.substring(prefix.length())) {
            case "1": log2 = 0; break;
            case "2": log2 = 1; break;
            case "4": log2 = 2; break;
            case "8": log2 = 3; break;
            default: return -1;
        }
        Kind kind = prefix.contains("const") ? Kind.CONST : Kind.CMP;
        return kind.ordinal() << 3 | log2 << 1;
    }

    /** The same type reached through a tail call. */
    public static byte asTailCall(int type) {
        return (byte) (type | TAIL);
    }

    public static boolean isTailCall(byte type) {
        return (type & TAIL) != 0;
    }

    public static Kind kind(byte type) {
        return KINDS[(type >> 3) & 3];
    }

    /** Operand size in bytes (1, 2, 4, 8), or {@link #UNKNOWN_SIZE} for a switch. */
    public static int size(byte type) {
        return kind(type) == Kind.SWITCH ? UNKNOWN_SIZE : 1 << ((type >> 1) & 3);
    }

    /** A type byte is valid when its kind exists and a switch carries no size bits. */
    public static boolean isValid(byte type) {
        int kind = (type >> 3) & 3;
        return (type & ~0x1f) == 0 && kind < KINDS.length && (kind != Kind.SWITCH.ordinal() || (type & 6) == 0);
    }
}
