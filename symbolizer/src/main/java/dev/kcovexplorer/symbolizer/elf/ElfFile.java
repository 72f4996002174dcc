package dev.kcovexplorer.symbolizer.elf;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A little-endian ELF32 or ELF64 file, memory-mapped section by section: nothing is read into the
 * heap except headers, the symbol table and decompressed sections, and files over 2 GiB work as long
 * as no single section exceeds 2 GiB. Thread-safe once opened.
 *
 * <p>Relocation sections are not applied to linked executables ({@code ET_EXEC}/{@code ET_DYN}) and
 * {@code .dwo} files, whose debug sections are final (Debian's vmlinux keeps {@code .rela.debug_*}
 * although they are already applied). A relocatable object ({@code ET_REL}, a kernel module) has all
 * its sections at address 0 and DWARF that is only right once relocated: {@link #place(Map)} gives the
 * view of it loaded at given section addresses, as the kernel's module loader placed it.
 */
public final class ElfFile implements Closeable {
    public static final int ET_REL = 1;
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;
    private static final int NT_GNU_BUILD_ID = 3;
    private static final int SHN_XINDEX = 0xffff;

    private final Path path;
    private final FileChannel channel;
    private final long fileSize;
    private final boolean elf64;
    private final int type;
    private final ElfMachine machine;
    private final int machineCode;
    private final long entry;
    private final List<ElfSection> sections;
    private final Map<String, ElfSection> byName;
    /** For a placed object, the sections the layout placed (the only ones a PC can be in); else null. */
    private final BitSet placedByLayout;
    /** For a placed object, each undefined symbol's name by its import stub's address; else empty. */
    private final Map<Long, String> importStubs;
    private volatile SymbolTable symbols;
    private volatile boolean closed;

    private ElfFile(Path path, FileChannel channel) throws IOException {
        this.path = path;
        this.channel = channel;
        this.fileSize = channel.size();
        ByteBuffer ident = read(0, (int) Math.min(64, fileSize), "ELF header");
        if (fileSize < 16 || ident.get(0) != 0x7f || ident.get(1) != 'E' || ident.get(2) != 'L' || ident.get(3) != 'F') {
            throw error(0, "not an ELF file (no \\x7fELF magic)");
        }
        int elfClass = ident.get(4);
        if (elfClass != 1 && elfClass != 2) {
            throw error(4, "unknown ELF class " + elfClass + " (expected 1 = ELF32 or 2 = ELF64)");
        }
        if (ident.get(5) != 1) {
            throw error(5, "big-endian ELF files are not supported (EI_DATA = " + ident.get(5) + ")");
        }
        elf64 = elfClass == 2;
        int headerSize = elf64 ? 64 : 52;
        if (fileSize < headerSize) {
            throw error(0, "file of " + fileSize + " bytes is shorter than the " + headerSize + "-byte ELF header");
        }
        ByteBuffer h = ident;
        type = Short.toUnsignedInt(h.getShort(16));
        machineCode = Short.toUnsignedInt(h.getShort(18));
        machine = ElfMachine.fromCode(machineCode);
        long shoff;
        int shentsize;
        int shnum;
        int shstrndx;
        if (elf64) {
            entry = h.getLong(24);
            shoff = h.getLong(40);
            shentsize = Short.toUnsignedInt(h.getShort(58));
            shnum = Short.toUnsignedInt(h.getShort(60));
            shstrndx = Short.toUnsignedInt(h.getShort(62));
        } else {
            entry = Integer.toUnsignedLong(h.getInt(24));
            shoff = Integer.toUnsignedLong(h.getInt(32));
            shentsize = Short.toUnsignedInt(h.getShort(46));
            shnum = Short.toUnsignedInt(h.getShort(48));
            shstrndx = Short.toUnsignedInt(h.getShort(50));
        }
        this.sections = readSections(shoff, shentsize, shnum, shstrndx);
        Map<String, ElfSection> names = new HashMap<>();
        for (ElfSection s : sections) {
            names.putIfAbsent(s.name(), s);
        }
        this.byName = names;
        this.placedByLayout = null;
        this.importStubs = Map.of();
    }

    /** {@code original} placed: section {@code i} at {@code addresses[i]}, its bytes through {@code fixups[i]}. */
    private ElfFile(ElfFile original, long[] addresses, SectionFixup[] fixups, BitSet placedByLayout,
                    Map<Long, String> importStubs) {
        this.path = original.path;
        this.channel = original.channel;
        this.fileSize = original.fileSize;
        this.elf64 = original.elf64;
        this.type = original.type;
        this.machine = original.machine;
        this.machineCode = original.machineCode;
        this.entry = original.entry;
        List<ElfSection> placed = new ArrayList<>(original.sections.size());
        Map<String, ElfSection> names = new HashMap<>();
        for (ElfSection s : original.sections) {
            ElfSection copy = s.placedCopy(this, addresses[s.index()], fixups[s.index()]);
            placed.add(copy);
            names.putIfAbsent(copy.name(), copy);
        }
        this.sections = Collections.unmodifiableList(placed);
        this.byName = names;
        this.placedByLayout = (BitSet) placedByLayout.clone();
        this.importStubs = Map.copyOf(importStubs);
    }

    /** Opens and maps {@code path}; throws {@link ElfFormatException} when it is no readable ELF file. */
    public static ElfFile open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new ElfFile(path, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Opens the relocatable object {@code path} placed at {@code sectionAddresses} ({@link #place(Map)});
     * closing the result closes the file.
     */
    public static ElfFile openPlaced(Path path, Map<String, Long> sectionAddresses) throws IOException {
        ElfFile elf = open(path);
        try {
            return elf.place(sectionAddresses);
        } catch (RuntimeException e) {
            elf.close();
            throw e;
        }
    }

    /**
     * This relocatable object as loaded with each section named in {@code sectionAddresses} at its
     * address: symbols become absolute, the debug sections are relocated, and in executable sections
     * the relocations of {@code rel32} operands (calls, jumps, RIP-relative data) are applied. The other
     * allocated sections are laid out after the placed ones, so that the DWARF stays consistent, but
     * {@link #executableSections()} and {@link #sectionContaining(long)} only see the placed ones: no PC
     * can be anywhere else. Names of non-allocated sections are ignored ({@code /sys/module/NAME/sections}
     * lists {@code .symtab} and {@code .strtab}). The view shares this file's channel: closing either
     * closes both. x86-64 only.
     *
     * @throws ElfFormatException when this is no x86-64 relocatable object, a named section is missing
     *     or ambiguous, placed sections overlap, or a relocation is malformed or does not fit
     */
    public ElfFile place(Map<String, Long> sectionAddresses) {
        SectionPlacer placer = SectionPlacer.of(this, sectionAddresses);
        return new ElfFile(this, placer.addresses(), placer.fixups(), placer.placedByLayout(), placer.importStubs());
    }

    /** True for the view {@link #place(Map)} returns. */
    public boolean isPlaced() {
        return placedByLayout != null;
    }

    /** The sections a layout placed, in file order; empty unless {@link #isPlaced()}. */
    public List<ElfSection> placedSections() {
        List<ElfSection> out = new ArrayList<>();
        if (placedByLayout != null) {
            placedByLayout.stream().forEach(i -> out.add(sections.get(i)));
        }
        return out;
    }

    /**
     * In a placed object, the name of each undefined symbol (a function of the kernel or of another module)
     * by the address of its import stub, where its calls and tail jumps land; empty otherwise.
     */
    public Map<Long, String> importStubs() {
        return importStubs;
    }

    /** The {@code SHT_RELA} sections that relocate {@code target}, in file order. */
    public List<ElfSection> relocationSectionsOf(ElfSection target) {
        List<ElfSection> out = new ArrayList<>(1);
        for (ElfSection s : sections) {
            if (s.type() == ElfSection.SHT_RELA && s.info() == target.index() && s.index() != target.index()) {
                out.add(s);
            }
        }
        return out;
    }

    private boolean mayHoldPc(ElfSection s) {
        return placedByLayout == null || placedByLayout.get(s.index());
    }

    private List<ElfSection> readSections(long shoff, int shentsize, int shnum, int shstrndx) throws IOException {
        if (shoff == 0) {
            return List.of();
        }
        int minEntry = elf64 ? 64 : 40;
        if (shentsize < minEntry) {
            throw error(elf64 ? 58 : 46, "section header entry size " + shentsize + " is below " + minEntry);
        }
        if (shnum == 0 || shstrndx == SHN_XINDEX) {
            // Extended numbering: the real count and string table index live in section header 0.
            ByteBuffer first = read(shoff, shentsize, "section header 0");
            if (shnum == 0) {
                long count = elf64 ? first.getLong(32) : Integer.toUnsignedLong(first.getInt(20));
                if (count > 1_000_000) {
                    throw error(shoff, "implausible section count " + count);
                }
                shnum = (int) count;
            }
            if (shstrndx == SHN_XINDEX) {
                shstrndx = first.getInt(elf64 ? 40 : 24);
            }
        }
        long tableSize = (long) shnum * shentsize;
        if (shoff < 0 || shoff + tableSize > fileSize || shoff + tableSize < shoff) {
            throw error(shoff, "section header table (" + shnum + " x " + shentsize + " bytes) runs past the end of the "
                    + fileSize + "-byte file");
        }
        ByteBuffer table = read(shoff, (int) tableSize, "section header table");
        int[] nameOffsets = new int[shnum];
        List<ElfSection> raw = new ArrayList<>(shnum);
        for (int i = 0; i < shnum; i++) {
            int b = i * shentsize;
            nameOffsets[i] = table.getInt(b);
            raw.add(sectionHeader(table, b, i, ""));
        }
        ByteBuffer names = null;
        if (shstrndx > 0 && shstrndx < shnum) {
            names = raw.get(shstrndx).contents();
        }
        List<ElfSection> out = new ArrayList<>(shnum);
        for (int i = 0; i < shnum; i++) {
            String name = names == null ? "" : cString(names, Integer.toUnsignedLong(nameOffsets[i]), "section name table");
            out.add(sectionHeader(table, i * shentsize, i, name));
        }
        return Collections.unmodifiableList(out);
    }

    private ElfSection sectionHeader(ByteBuffer t, int b, int index, String name) {
        int shType = t.getInt(b + 4);
        long flags;
        long addr;
        long offset;
        long size;
        int link;
        int info;
        long entsize;
        long addralign;
        if (elf64) {
            flags = t.getLong(b + 8);
            addr = t.getLong(b + 16);
            offset = t.getLong(b + 24);
            size = t.getLong(b + 32);
            link = t.getInt(b + 40);
            info = t.getInt(b + 44);
            addralign = t.getLong(b + 48);
            entsize = t.getLong(b + 56);
        } else {
            flags = Integer.toUnsignedLong(t.getInt(b + 8));
            addr = Integer.toUnsignedLong(t.getInt(b + 12));
            offset = Integer.toUnsignedLong(t.getInt(b + 16));
            size = Integer.toUnsignedLong(t.getInt(b + 20));
            link = t.getInt(b + 24);
            info = t.getInt(b + 28);
            addralign = Integer.toUnsignedLong(t.getInt(b + 32));
            entsize = Integer.toUnsignedLong(t.getInt(b + 36));
        }
        return new ElfSection(this, index, name, shType, flags, addr, offset, size, link, info, addralign, entsize);
    }

    public Path path() {
        return path;
    }

    public boolean is64Bit() {
        return elf64;
    }

    /** {@code e_type}: {@link #ET_REL}, {@link #ET_EXEC} or {@link #ET_DYN}. */
    public int type() {
        return type;
    }

    public ElfMachine machine() {
        return machine;
    }

    /** The raw {@code e_machine} value, for messages about unsupported architectures. */
    public int machineCode() {
        return machineCode;
    }

    public long entry() {
        return entry;
    }

    public long fileSize() {
        return fileSize;
    }

    /** All section headers in file order, including the null section 0. */
    public List<ElfSection> sections() {
        return sections;
    }

    /**
     * The first section called {@code name}; for a {@code .debug_*} name a legacy compressed
     * {@code .zdebug_*} section counts too. {@code null} when there is none.
     */
    public ElfSection section(String name) {
        ElfSection s = byName.get(name);
        if (s == null && name.startsWith(".debug")) {
            s = byName.get(".z" + name.substring(1));
        }
        return s;
    }

    /**
     * The allocated section with bytes in the file that holds virtual address {@code address}, or null;
     * of a placed object only a section the layout placed.
     */
    public ElfSection sectionContaining(long address) {
        for (ElfSection s : sections) {
            if (s.type() != ElfSection.SHT_NOBITS && s.containsAddress(address) && mayHoldPc(s)) {
                return s;
            }
        }
        return null;
    }

    /**
     * Executable sections ({@code SHF_EXECINSTR}) with bytes in the file, in file order; of a placed
     * object only those the layout placed.
     */
    public List<ElfSection> executableSections() {
        List<ElfSection> out = new ArrayList<>();
        for (ElfSection s : sections) {
            if (s.isExecutable() && s.type() != ElfSection.SHT_NOBITS && s.fileSize() > 0 && mayHoldPc(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** The {@code .symtab} (empty when the file is stripped), parsed on first use. */
    public SymbolTable symbols() {
        SymbolTable t = symbols;
        if (t == null) {
            synchronized (this) {
                t = symbols;
                if (t == null) {
                    t = readSymbols();
                    symbols = t;
                }
            }
        }
        return t;
    }

    private SymbolTable readSymbols() {
        ElfSection symtab = null;
        for (ElfSection s : sections) {
            if (s.type() == ElfSection.SHT_SYMTAB) {
                symtab = s;
                break;
            }
        }
        if (symtab == null) {
            return SymbolTable.empty();
        }
        if (symtab.link() <= 0 || symtab.link() >= sections.size()) {
            throw error(symtab.fileOffset(), ".symtab links to string table section " + symtab.link()
                    + " of " + sections.size());
        }
        ByteBuffer strings = sections.get(symtab.link()).contents();
        ByteBuffer data = symtab.contents();
        int entrySize = elf64 ? 24 : 16;
        int count = data.capacity() / entrySize;
        List<ElfSymbol> out = new ArrayList<>(count);
        String currentFile = null;
        for (int i = 1; i < count; i++) {
            int b = i * entrySize;
            int nameOffset = data.getInt(b);
            long value;
            long size;
            int info;
            int shndx;
            if (elf64) {
                info = data.get(b + 4) & 0xff;
                shndx = Short.toUnsignedInt(data.getShort(b + 6));
                value = data.getLong(b + 8);
                size = data.getLong(b + 16);
            } else {
                value = Integer.toUnsignedLong(data.getInt(b + 4));
                size = Integer.toUnsignedLong(data.getInt(b + 8));
                info = data.get(b + 12) & 0xff;
                shndx = Short.toUnsignedInt(data.getShort(b + 14));
            }
            int symType = info & 0xf;
            if (machine == ElfMachine.ARM && symType == ElfSymbol.STT_FUNC) {
                value &= ~1L; // the Thumb bit marks the instruction set, not the address
            }
            String name = cString(strings, Integer.toUnsignedLong(nameOffset), ".strtab");
            if (placedByLayout != null) {
                value = placedValue(value, shndx, name, i);
            }
            int binding = info >>> 4;
            if (symType == ElfSymbol.STT_FILE) {
                currentFile = name.isEmpty() ? null : name;
            }
            out.add(new ElfSymbol(name, value, size, symType, binding,
                    shndx, binding == ElfSymbol.STB_LOCAL ? currentFile : null));
        }
        long[] sectionEnds = new long[sections.size()];
        for (ElfSection s : sections) {
            if (s.isAllocated()) {
                sectionEnds[s.index()] = s.address() + s.fileSize();
            }
        }
        return new SymbolTable(out, sectionEnds);
    }

    /** A placed object's symbol value: relative to its section in an {@code ET_REL} file, absolute once placed. */
    private long placedValue(long value, int shndx, String name, int index) {
        if (shndx == ElfSymbol.SHN_XINDEX) {
            throw new ElfFormatException(path + ": symbol " + index + " (" + name + ") has an extended section index"
                    + " (SHT_SYMTAB_SHNDX), which placing an object does not support");
        }
        if (shndx == ElfSymbol.SHN_UNDEF || shndx >= ElfSymbol.SHN_LORESERVE) {
            return value;
        }
        if (shndx >= sections.size()) {
            throw new ElfFormatException(path + ": symbol " + index + " (" + name + ") is in section " + shndx
                    + " of " + sections.size());
        }
        return sections.get(shndx).address() + value;
    }

    /** The GNU build id as lower-case hex, or {@code null} when the file has no build-id note. */
    public String buildId() {
        for (ElfSection s : sections) {
            if (s.type() != ElfSection.SHT_NOTE) {
                continue;
            }
            ByteBuffer n = s.contents();
            int p = 0;
            while (p + 12 <= n.capacity()) {
                long nameSize = Integer.toUnsignedLong(n.getInt(p));
                long descSize = Integer.toUnsignedLong(n.getInt(p + 4));
                int noteType = n.getInt(p + 8);
                long nameStart = p + 12L;
                long descStart = nameStart + ((nameSize + 3) & ~3L);
                long next = descStart + ((descSize + 3) & ~3L);
                if (next > n.capacity()) {
                    break;
                }
                if (noteType == NT_GNU_BUILD_ID && nameSize == 4 && n.get((int) nameStart) == 'G'
                        && n.get((int) nameStart + 1) == 'N' && n.get((int) nameStart + 2) == 'U') {
                    StringBuilder hex = new StringBuilder();
                    for (int i = 0; i < descSize; i++) {
                        hex.append(String.format("%02x", n.get((int) descStart + i) & 0xff));
                    }
                    return hex.toString();
                }
                p = (int) next;
            }
        }
        return null;
    }

    /** Maps {@code size} bytes at {@code offset} read-only, little-endian; what names the bytes in errors. */
    ByteBuffer map(long offset, long size, String what) {
        if (closed) {
            throw new IllegalStateException(path + " is closed");
        }
        if (offset < 0 || size < 0 || offset + size > fileSize || offset + size < offset) {
            throw error(offset, "section " + what + " (" + size + " bytes at offset " + offset
                    + ") runs past the end of the " + fileSize + "-byte file");
        }
        if (size > Integer.MAX_VALUE) {
            throw error(offset, "section " + what + " is larger than 2 GiB (" + size + " bytes)");
        }
        if (size == 0) {
            return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
        }
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, offset, size).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new ElfFormatException(path + ": cannot map " + what + ": " + e.getMessage(), e);
        }
    }

    private ByteBuffer read(long offset, int size, String what) throws IOException {
        if (offset < 0 || offset + size > fileSize) {
            throw error(offset, what + " (" + size + " bytes) runs past the end of the " + fileSize + "-byte file");
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (channel.read(b, offset + b.position()) < 0) {
                throw error(offset, what + " ends early");
            }
        }
        return b.flip();
    }

    private String cString(ByteBuffer table, long offset, String what) {
        int cap = table.capacity();
        if (offset >= cap) {
            throw new ElfFormatException(path + ": string offset " + offset + " past the end of " + what
                    + " (" + cap + " bytes)");
        }
        int start = (int) offset;
        int end = start;
        while (end < cap && table.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - start];
        table.get(start, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private ElfFormatException error(long offset, String what) {
        return new ElfFormatException(path + " at offset " + offset + ": " + what);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        channel.close();
    }
}
