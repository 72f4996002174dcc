package dev.kcovexplorer.symbolizer.elf;

import java.nio.ByteBuffer;

/** Rewrites a section's bytes once, when they are first read: how a placed object applies its relocations. */
@FunctionalInterface
interface SectionFixup {
    /**
     * @param file    the file the section belongs to (its symbols are already placed)
     * @param section the section being read
     * @param stored  its bytes as stored (decompressed), little-endian, read-only
     * @return the bytes readers see
     */
    ByteBuffer apply(ElfFile file, ElfSection section, ByteBuffer stored);
}
