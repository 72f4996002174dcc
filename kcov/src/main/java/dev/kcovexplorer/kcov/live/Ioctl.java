package dev.kcovexplorer.kcov.live;

/**
 * The Linux {@code _IOC} request encoding of {@code <asm-generic/ioctl.h>}, used by x86-64, arm64 and
 * riscv: {@code dir << 30 | size << 16 | type << 8 | nr}. Request numbers are computed here instead of
 * copied as magic constants so a reader can check them against the header line by line.
 */
public final class Ioctl {
    static final int NRBITS = 8;
    static final int TYPEBITS = 8;
    static final int SIZEBITS = 14;
    static final int NRSHIFT = 0;
    static final int TYPESHIFT = NRSHIFT + NRBITS;
    static final int SIZESHIFT = TYPESHIFT + TYPEBITS;
    static final int DIRSHIFT = SIZESHIFT + SIZEBITS;

    static final int NONE = 0;
    static final int WRITE = 1;
    static final int READ = 2;

    private Ioctl() {
    }

    /** {@code _IOC(dir, type, nr, size)} as the unsigned 32-bit value the kernel compares against. */
    public static long ioc(int dir, char type, int nr, int size) {
        if (size < 0 || size >= 1 << SIZEBITS) {
            throw new IllegalArgumentException("ioctl argument size " + size + " does not fit in 14 bits");
        }
        if (nr < 0 || nr >= 1 << NRBITS) {
            throw new IllegalArgumentException("ioctl number " + nr + " does not fit in 8 bits");
        }
        return ((long) dir << DIRSHIFT | (long) size << SIZESHIFT | (long) type << TYPESHIFT | (long) nr << NRSHIFT)
                & 0xffff_ffffL;
    }

    /** {@code _IO(type, nr)}: no argument. */
    public static long io(char type, int nr) {
        return ioc(NONE, type, nr, 0);
    }

    /** {@code _IOR(type, nr, T)}: the kernel writes a {@code T} (the name is from user space's view). */
    public static long ior(char type, int nr, int sizeofArgument) {
        return ioc(READ, type, nr, sizeofArgument);
    }

    /** {@code _IOWR(type, nr, T)}: user space passes a {@code T} and the kernel writes it back. */
    public static long iowr(char type, int nr, int sizeofArgument) {
        return ioc(READ | WRITE, type, nr, sizeofArgument);
    }

    /** {@code _IOW(type, nr, T)}: user space passes a {@code T} to the kernel. */
    public static long iow(char type, int nr, int sizeofArgument) {
        return ioc(WRITE, type, nr, sizeofArgument);
    }
}
