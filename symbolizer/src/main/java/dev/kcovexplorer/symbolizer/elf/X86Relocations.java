package dev.kcovexplorer.symbolizer.elf;

/** The x86-64 relocation types ({@code R_X86_64_*}) found in kernel modules' code and debug sections. */
public final class X86Relocations {
    public static final int R_NONE = 0;
    /** S + A, 64 bits: addresses in {@code .debug_info}, {@code .debug_line}, ranges. */
    public static final int R_64 = 1;
    /** S + A - P, 32 bits: {@code call}/{@code jmp rel32} operands and RIP-relative data. */
    public static final int R_PC32 = 2;
    /** L + A - P, 32 bits: calls through the PLT, which for a module is the function itself. */
    public static final int R_PLT32 = 4;
    /** S + A, zero-extended 32 bits: DWARF offsets into {@code .debug_str}, {@code .debug_abbrev}, .... */
    public static final int R_32 = 10;
    /** S + A, sign-extended 32 bits: absolute kernel addresses ({@code -mcmodel=kernel}). */
    public static final int R_32S = 11;
    /** S + A - P, 64 bits. */
    public static final int R_PC64 = 24;

    private X86Relocations() {
    }

    /** True for the types whose 32-bit field is a PC-relative branch or data operand. */
    public static boolean isPcRelative32(int type) {
        return type == R_PC32 || type == R_PLT32;
    }

    /** The field width in bytes, or -1 for a type this reader does not apply. */
    static int width(int type) {
        switch (type) {
            case R_64:
            case R_PC64:
                return 8;
            case R_PC32:
            case R_PLT32:
            case R_32:
            case R_32S:
                return 4;
            default:
                return -1;
        }
    }

    /** "R_X86_64_PC32", or the number for a type without a name here. */
    public static String name(int type) {
        switch (type) {
            case R_NONE: return "R_X86_64_NONE";
            case R_64: return "R_X86_64_64";
            case R_PC32: return "R_X86_64_PC32";
            case R_PLT32: return "R_X86_64_PLT32";
            case R_32: return "R_X86_64_32";
            case R_32S: return "R_X86_64_32S";
            case R_PC64: return "R_X86_64_PC64";
            default: return "relocation type " + type;
        }
    }
}
