package dev.kcovexplorer.symbolizer.external;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The external symbolizers we can drive, with what one process costs in memory per byte of binary
 * (on the 362 MB demo vmlinux: llvm-symbolizer peaks at 1.37 GB, addr2line at 2.39 GB; rounded up).
 */
public enum ExternalBackend {
    /** {@code llvm-symbolizer} (LLVM 14 cannot read zstd-compressed sections). */
    LLVM("llvm-symbolizer", 4.0),
    /** GNU {@code addr2line} (binutils 2.40 names the wrong file for ~0.5% of DWARF 5 kernel PCs). */
    GNU("addr2line", 7.0);

    private final String executable;
    private final double memoryPerBinaryByte;

    ExternalBackend(String executable, double memoryPerBinaryByte) {
        this.executable = executable;
        this.memoryPerBinaryByte = memoryPerBinaryByte;
    }

    public String executable() {
        return executable;
    }

    /**
     * A pool of processes for {@code binary}: as many as there are cores, fewer when the estimated
     * memory of each (the multiple of the binary's size above) would not fit in half of the available
     * memory; at least one.
     */
    public SymbolizerPool open(Path binary) throws IOException {
        return SymbolizerPool.open(this, binary, SymbolizerPool.processesFor(this, binary));
    }

    ExternalSymbolizerProcess start(Path binary, long sentinel) throws IOException {
        return this == LLVM ? new LlvmSymbolizerProcess(executable, binary, sentinel)
                : new Addr2lineProcess(executable, binary, sentinel);
    }

    double memoryPerBinaryByte() {
        return memoryPerBinaryByte;
    }
}
