package dev.kcovexplorer.symbolizer.points;

import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.elf.ElfSection;
import dev.kcovexplorer.symbolizer.elf.ElfSymbol;

import java.util.Arrays;

/**
 * Where remote coverage sections open and close: the direct calls (and tail jumps) of
 * {@code kcov_remote_start} and {@code kcov_remote_stop} in an image's executable sections. The
 * {@code kcov_remote_start_usb()} / {@code _common()} / {@code _softirq()} wrappers are static inlines in
 * {@code include/linux/kcov.h}, so every section of the kernel reaches one of these two symbols; the
 * inline chain of each site names the wrapper and the function that opens the section.
 *
 * @param sites sorted call-site addresses
 * @param kinds {@link #START} or {@link #STOP} per site
 */
public record RemoteSectionCalls(long[] sites, byte[] kinds) {
    public static final String START_SYMBOL = "kcov_remote_start";
    public static final String STOP_SYMBOL = "kcov_remote_stop";
    public static final byte START = 0;
    public static final byte STOP = 1;

    /**
     * The calls in {@code elf}; none when it does not define the two functions (no kcov). A module calls
     * the kernel's: its relocations name them.
     */
    public static RemoteSectionCalls scan(ElfFile elf) {
        LongIntHashMap found = new LongIntHashMap(16);
        if (elf.type() == ElfFile.ET_REL) {
            RelocatedCalls.scan(elf, name -> name.equals(START_SYMBOL) ? START : name.equals(STOP_SYMBOL) ? STOP : -1,
                    (site, kind, call) -> found.put(site, kind));
            return of(found);
        }
        LongIntHashMap targets = new LongIntHashMap(4);
        addTarget(elf, START_SYMBOL, START, targets);
        addTarget(elf, STOP_SYMBOL, STOP, targets);
        if (targets.size() > 0) {
            BranchDecoder decoder = BranchDecoder.forMachine(elf.machine(), elf.is64Bit());
            for (ElfSection section : elf.executableSections()) {
                decoder.decode(section.contents(), section.address(), targets,
                        (site, target, call) -> found.put(site, targets.get(target, START)));
            }
        }
        return of(found);
    }

    private static RemoteSectionCalls of(LongIntHashMap found) {
        long[] sites = found.sortedKeys();
        byte[] kinds = new byte[sites.length];
        for (int i = 0; i < sites.length; i++) {
            kinds[i] = (byte) found.get(sites[i], START);
        }
        return new RemoteSectionCalls(sites, kinds);
    }

    private static void addTarget(ElfFile elf, String name, byte kind, LongIntHashMap targets) {
        ElfSymbol symbol = elf.symbols().lookup(name);
        if (symbol != null && symbol.isDefined() && symbol.isFunction()) {
            targets.put(symbol.address(), kind);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RemoteSectionCalls other && Arrays.equals(sites, other.sites)
                && Arrays.equals(kinds, other.kinds);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sites);
    }
}
