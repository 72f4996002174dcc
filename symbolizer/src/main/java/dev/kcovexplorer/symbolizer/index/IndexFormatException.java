package dev.kcovexplorer.symbolizer.index;

/** A stored kernel index that is truncated, corrupt or of another format version; the message says where. */
public final class IndexFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public IndexFormatException(String message) {
        super(message);
    }
}
