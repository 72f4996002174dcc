package dev.kcovexplorer.symbolizer.dwarf;

/**
 * Debug information we cannot read: the message names the file, the section and the offset, and
 * what was expected there. Every read error inside this package ends up as one of these, never as an
 * index exception.
 */
public final class DwarfFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DwarfFormatException(String message) {
        super(message);
    }

    public DwarfFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
