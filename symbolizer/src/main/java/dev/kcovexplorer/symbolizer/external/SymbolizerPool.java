package dev.kcovexplorer.symbolizer.external;

import dev.kcovexplorer.symbolizer.AddressSymbolizer;
import dev.kcovexplorer.symbolizer.Frame;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.elf.ElfSection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Several processes of one external symbolizer on one binary: a batch is cut into contiguous slices
 * (sorted input keeps each process in few compile units) that the processes answer in parallel.
 */
public final class SymbolizerPool implements AddressSymbolizer {
    /** Slices smaller than this are not worth another process's round trip. */
    private static final int MIN_SLICE = 256;

    private final ExternalSymbolizerProcess[] processes;
    private final ExecutorService readers;

    private SymbolizerPool(ExternalSymbolizerProcess[] processes) {
        this.processes = processes;
        this.readers = Executors.newFixedThreadPool(processes.length, r -> {
            Thread t = new Thread(r, "external-symbolizer-reader");
            t.setDaemon(true);
            return t;
        });
    }

    static SymbolizerPool open(ExternalBackend backend, Path binary, int count) throws IOException {
        if (!Files.isRegularFile(binary)) {
            throw new NoSuchFileException(binary.toString());
        }
        long sentinel = sentinelFor(binary);
        ExternalSymbolizerProcess[] processes = new ExternalSymbolizerProcess[count];
        try {
            for (int i = 0; i < count; i++) {
                processes[i] = backend.start(binary, sentinel);
            }
        } catch (IOException e) {
            for (ExternalSymbolizerProcess p : processes) {
                if (p != null) {
                    p.close();
                }
            }
            throw e;
        }
        return new SymbolizerPool(processes);
    }

    /** Cores, bounded by what half of the available memory holds at the backend's cost per process. */
    static int processesFor(ExternalBackend backend, Path binary) throws IOException {
        int cores = Runtime.getRuntime().availableProcessors();
        long available = ProcStatus.availableMemoryBytes();
        long perProcess = (long) (Files.size(binary) * backend.memoryPerBinaryByte()) + (64L << 20);
        if (available <= 0) {
            return 1;
        }
        return (int) Math.max(1, Math.min(cores, available / 2 / perProcess));
    }

    /** The all-ones address, or the lowest one below it, that no allocated section contains. */
    private static long sentinelFor(Path binary) throws IOException {
        try (ElfFile elf = ElfFile.open(binary)) {
            long candidate = elf.is64Bit() ? -1L : 0xffff_ffffL;
            boolean moved = true;
            while (moved) {
                moved = false;
                for (ElfSection s : elf.sections()) {
                    if (s.containsAddress(candidate)) {
                        candidate = s.address() - 1;
                        moved = true;
                    }
                }
            }
            return candidate;
        }
    }

    public int processCount() {
        return processes.length;
    }

    /** Sum of the processes' peak resident sets (VmHWM), in bytes. */
    public long peakRssBytes() {
        return Arrays.stream(processes).mapToLong(ExternalSymbolizerProcess::peakRssBytes).filter(v -> v > 0).sum();
    }

    @Override
    public List<List<Frame>> symbolize(long[] addresses) throws IOException {
        int slices = Math.max(1, Math.min(processes.length, addresses.length / MIN_SLICE));
        if (slices == 1) {
            synchronized (processes[0]) {
                return processes[0].symbolize(addresses);
            }
        }
        List<Future<List<List<Frame>>>> parts = new ArrayList<>(slices);
        for (int i = 0; i < slices; i++) {
            long[] slice = Arrays.copyOfRange(addresses, (int) ((long) addresses.length * i / slices),
                    (int) ((long) addresses.length * (i + 1) / slices));
            ExternalSymbolizerProcess process = processes[i];
            parts.add(readers.submit(() -> {
                synchronized (process) {
                    return process.symbolize(slice);
                }
            }));
        }
        List<List<Frame>> out = new ArrayList<>(addresses.length);
        try {
            for (Future<List<List<Frame>>> part : parts) {
                out.addAll(part.get());
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while symbolizing");
        }
        return out;
    }

    @Override
    public void close() {
        readers.shutdownNow();
        for (ExternalSymbolizerProcess p : processes) {
            p.close();
        }
    }
}
