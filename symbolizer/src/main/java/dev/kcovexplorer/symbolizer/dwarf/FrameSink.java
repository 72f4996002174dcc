package dev.kcovexplorer.symbolizer.dwarf;

/** Receives the frames of one PC, innermost first, without allocating a frame object per call. */
@FunctionalInterface
public interface FrameSink {
    /**
     * @param function the DWARF name of the (inlined) function, or {@code null} when DWARF names none
     * @param file     the full source path, or {@code null} when the line table has no row for the PC
     * @param line     1-based, 0 when unknown
     * @param column   1-based, 0 when unknown
     */
    void frame(String function, String file, int line, int column);
}
