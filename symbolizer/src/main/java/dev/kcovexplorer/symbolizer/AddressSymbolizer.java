package dev.kcovexplorer.symbolizer;

import java.io.IOException;
import java.util.List;

/**
 * Turns addresses of one binary into their inline chains. Implemented by our own DWARF reader and by
 * the external {@code llvm-symbolizer} / {@code addr2line} backends, so the CLI and the cross-checks
 * can swap them.
 */
public interface AddressSymbolizer extends AutoCloseable {

    /**
     * Symbolizes a batch.
     *
     * @return one list per input address, in input order; each innermost frame first, empty when the
     *     address has no symbol at all
     */
    List<List<Frame>> symbolize(long[] addresses) throws IOException;

    /** Releases files and processes; never throws. */
    @Override
    void close();
}
