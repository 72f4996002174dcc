package dev.kcovexplorer.symbolizer;

/**
 * One frame of a PC's inline chain.
 *
 * @param function the DWARF name of the function ("hub_event"); for inlined frames the inlined callee
 * @param linkage  the symtab/linkage name when it differs ("hub_event.isra.0"), else {@code null}
 * @param file     the full source path as DWARF gives it (comp dir + dir + name, "/./" collapsed)
 * @param line     1-based line, 0 when unknown
 * @param column   1-based column, 0 when unknown
 */
public record Frame(String function, String linkage, String file, int line, int column) {
}
