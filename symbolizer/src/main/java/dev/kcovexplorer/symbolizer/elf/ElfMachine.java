package dev.kcovexplorer.symbolizer.elf;

/** The target architectures we know how to read; anything else is {@link #OTHER}. */
public enum ElfMachine {
    X86_64("x86_64", 62),
    AARCH64("aarch64", 183),
    I386("i386", 3),
    ARM("arm", 40),
    OTHER("unknown", -1);

    private final String archName;
    private final int code;

    ElfMachine(String archName, int code) {
        this.archName = archName;
        this.code = code;
    }

    /** "x86_64", "aarch64", "i386", "arm" (the names the kernel index stores), or "unknown". */
    public String archName() {
        return archName;
    }

    static ElfMachine fromCode(int eMachine) {
        for (ElfMachine m : values()) {
            if (m.code == eMachine) {
                return m;
            }
        }
        return OTHER;
    }
}
