package dev.kcovexplorer.symbolizer.elf;

/** A file that is not a well-formed ELF file we can read; the message names the file and the offset. */
public final class ElfFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ElfFormatException(String message) {
        super(message);
    }

    public ElfFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
