package dev.kcovexplorer.symbolizer;

import dev.kcovexplorer.symbolizer.dwarf.DebugInfo;
import dev.kcovexplorer.symbolizer.dwarf.SourcePaths;
import dev.kcovexplorer.symbolizer.dwarf.UnitSymbolizer;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.elf.SymbolTable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * PC → inline chain for one ELF file, from its DWARF (our own reader) with the symbol table as the
 * fallback: {@link #symbolize(long)} for one address, {@link #symbolizeAll(long[])} for many, in
 * parallel across compile units. Thread-safe.
 *
 * <p>Frames are innermost first. The innermost frame's location comes from the line table; each
 * outer frame's from the call site recorded in the inlined subroutine it called. The outermost
 * frame carries the symtab name as linkage when it differs from the DWARF name ("foo.isra.0"). A PC
 * without DWARF gets one frame named after the symtab function, with file "??" and line 0; a PC in
 * no function gets no frames.
 */
public final class Symbolizer implements AddressSymbolizer {
    /** File name of frames whose location is unknown. */
    public static final String UNKNOWN = "??";
    private static final int RECENT_UNITS = 16;

    private final ElfFile elf;
    private final boolean ownsElf;
    private final DebugInfo dwarf;
    private final SymbolTable symbols;
    private final String sourceRoot;
    private final Map<Integer, UnitSymbolizer> recentUnits = new LinkedHashMap<>(32, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, UnitSymbolizer> eldest) {
            return size() > RECENT_UNITS;
        }
    };

    private Symbolizer(ElfFile elf, boolean ownsElf) {
        this.elf = elf;
        this.ownsElf = ownsElf;
        this.dwarf = DebugInfo.load(elf);
        this.symbols = elf.symbols();
        this.sourceRoot = dwarf.compDir();
    }

    /**
     * Opens {@code path}, reads its unit headers, symbol table and (for split DWARF) locates its
     * {@code .dwo} files. Bad input throws {@code ElfFormatException} or {@code DwarfFormatException}
     * with a message naming file, section and offset.
     */
    public static Symbolizer open(Path path) throws IOException {
        ElfFile elf = ElfFile.open(path);
        try {
            return new Symbolizer(elf, true);
        } catch (RuntimeException e) {
            elf.close();
            throw e;
        }
    }

    /**
     * Opens the relocatable object {@code path} (a kernel module) placed at {@code sectionAddresses}, as
     * {@link ElfFile#place(Map)} describes: addresses are the ones the kernel loaded it at.
     */
    public static Symbolizer openPlaced(Path path, Map<String, Long> sectionAddresses) throws IOException {
        ElfFile elf = ElfFile.openPlaced(path, sectionAddresses);
        try {
            return new Symbolizer(elf, true);
        } catch (RuntimeException e) {
            elf.close();
            throw e;
        }
    }

    /** A symbolizer over an already open file; {@link #close()} leaves {@code elf} open. */
    public static Symbolizer of(ElfFile elf) {
        return new Symbolizer(elf, false);
    }

    public ElfFile elf() {
        return elf;
    }

    /** The build's source root: the compilation directory most units share, or null without DWARF. */
    public String sourceRoot() {
        return sourceRoot;
    }

    /** Every compilation directory of the units: {@link #sourceRoot()} and any others. */
    public java.util.Set<String> compDirs() {
        return dwarf.compDirs();
    }

    /** {@code file} relative to {@link #sourceRoot()} ("drivers/usb/core/hub.c"), unchanged when outside it. */
    public String relativePath(String file) {
        return SourcePaths.relativeTo(sourceRoot, file);
    }

    /** The inline chain of one address, innermost first. */
    public List<Frame> symbolize(long address) {
        int unit = dwarf.unitFor(address);
        UnitSymbolizer us = null;
        if (unit >= 0) {
            synchronized (recentUnits) {
                us = recentUnits.get(unit);
            }
            if (us == null) {
                us = dwarf.unit(unit);
                synchronized (recentUnits) {
                    recentUnits.put(unit, us);
                }
            }
        }
        StringInterner strings = new StringInterner();
        ChainWriter w = new ChainWriter(strings, symbols);
        w.write(us, address);
        FrameTable t = w.toTable(new long[] {address}, new int[] {0, w.frameCount()}, strings.toArray());
        return t.frames(0);
    }

    /** {@link AddressSymbolizer}: one chain per address, in input order. */
    @Override
    public List<List<Frame>> symbolize(long[] addresses) {
        FrameTable t = symbolizeAll(addresses);
        List<List<Frame>> out = new ArrayList<>(addresses.length);
        for (int i = 0; i < addresses.length; i++) {
            out.add(t.frames(i));
        }
        return out;
    }

    /** {@link #symbolizeAll(long[], int)} with one worker per available processor. */
    public FrameTable symbolizeAll(long[] addresses) {
        return symbolizeAll(addresses, Runtime.getRuntime().availableProcessors());
    }

    /**
     * The inline chains of many addresses (any order, repeats allowed), in input order. Addresses are
     * grouped by compile unit; {@code threads} workers each parse one unit at a time, answer all of
     * its addresses and drop it, so memory stays at a few units' worth of tables.
     */
    public FrameTable symbolizeAll(long[] addresses, int threads) {
        return symbolizeAll(addresses, threads, answered -> { });
    }

    /**
     * {@link #symbolizeAll(long[], int)}, telling {@code progress} on the calling thread, after each unit it
     * answered there and once more when all are answered, how many addresses are answered so far. An exception
     * {@code progress} throws (to cancel) stops every worker and is rethrown. The last call is what makes a
     * cancel certain to be seen: the other workers may take every unit before the calling thread gets one.
     */
    public FrameTable symbolizeAll(long[] addresses, int threads, IntConsumer progress) {
        int n = addresses.length;
        int unitCount = dwarf.unitCount();
        int[] unitOf = new int[n];
        int[] perUnit = new int[unitCount + 1];
        for (int i = 0; i < n; i++) {
            int u = dwarf.unitFor(addresses[i]);
            unitOf[i] = u;
            perUnit[u + 1]++;
        }
        // Counting sort of address indexes by unit; slot 0 holds the addresses of no unit.
        int[] groupStart = new int[unitCount + 2];
        for (int u = 0; u <= unitCount; u++) {
            groupStart[u + 1] = groupStart[u] + perUnit[u];
        }
        int[] fill = Arrays.copyOf(groupStart, unitCount + 1);
        int[] grouped = new int[n];
        for (int i = 0; i < n; i++) {
            grouped[fill[unitOf[i] + 1]++] = i;
        }
        // Largest groups first, so the last unit a worker takes is a small one.
        Integer[] order = new Integer[unitCount + 1];
        for (int g = 0; g <= unitCount; g++) {
            order[g] = g;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(groupStart[b + 1] - groupStart[b], groupStart[a + 1] - groupStart[a]));

        StringInterner strings = new StringInterner();
        int[] owner = new int[n];
        int[] localStart = new int[n];
        int[] localCount = new int[n];
        AtomicInteger nextGroup = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        int workers = Math.max(1, Math.min(threads, unitCount + 1));
        ChainWriter[] writers = new ChainWriter[workers];
        Runnable[] tasks = new Runnable[workers];
        for (int w = 0; w < workers; w++) {
            ChainWriter writer = new ChainWriter(strings, symbols);
            writers[w] = writer;
            int id = w;
            tasks[w] = () -> {
                try {
                    int g;
                    while (failure.get() == null && (g = nextGroup.getAndIncrement()) <= unitCount) {
                        int group = order[g];
                        int from = groupStart[group];
                        int to = groupStart[group + 1];
                        if (from == to) {
                            continue;
                        }
                        UnitSymbolizer us = group == 0 ? null : dwarf.unit(group - 1);
                        for (int k = from; k < to; k++) {
                            int i = grouped[k];
                            int start = writer.frameCount();
                            writer.write(us, addresses[i]);
                            owner[i] = id;
                            localStart[i] = start;
                            localCount[i] = writer.frameCount() - start;
                        }
                        int done = answered.addAndGet(to - from);
                        if (id == 0) {
                            progress.accept(done);
                        }
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            };
        }
        runAll(tasks);
        if (failure.get() != null) {
            throw failure.get();
        }
        progress.accept(n);
        return ChainWriter.merge(addresses, writers, owner, localStart, localCount, strings.toArray());
    }

    private static void runAll(Runnable[] tasks) {
        Thread[] threads = new Thread[tasks.length - 1];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(tasks[t + 1], "symbolizer-" + (t + 1));
            threads[t].setDaemon(true);
            threads[t].start();
        }
        tasks[0].run();
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while symbolizing", e);
            }
        }
    }

    @Override
    public void close() {
        if (!ownsElf) {
            return;
        }
        try {
            elf.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
