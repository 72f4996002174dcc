package dev.kcovexplorer.app.model.modules;

import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.elf.ElfMachine;
import dev.kcovexplorer.symbolizer.elf.ElfSection;

/**
 * Where an x86-64 kernel loads modules: {@code MODULES_VADDR} (the end of the kernel image mapping,
 * {@code 0xffffffffa0000000} without KASLR) to {@code MODULES_END} ({@code 0xffffffffff000000}), per
 * {@code arch/x86/include/asm/pgtable_64_types.h}. A PC there that is in no section of vmlinux is a
 * module's, and cannot be symbolized without knowing where that module was loaded. kcov records PCs less
 * the KASLR offset, so on a KASLR boot a recorded module PC lies that much below the module area.
 */
public final class ModuleSpace {
    private static final long START = 0xffffffffa0000000L;
    private static final long END = 0xffffffffff000000L;
    private static final long KERNEL_HALF = 0xffffffff80000000L;

    private ModuleSpace() {
    }

    /** True for an x86-64 kernel image: its code lies in the top 2 GiB, where the kernel is mapped. */
    public static boolean isKernelImage(ElfFile vmlinux) {
        if (vmlinux.machine() != ElfMachine.X86_64) {
            return false;
        }
        for (ElfSection s : vmlinux.executableSections()) {
            if (Long.compareUnsigned(s.address(), KERNEL_HALF) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code address} lies in the module area of an x86-64 kernel. */
    public static boolean contains(long address) {
        return contains(address, 0);
    }

    /** True when {@code pc}, recorded by kcov on a boot with this KASLR offset, lies in the module area. */
    public static boolean contains(long pc, long kaslrOffset) {
        long address = pc + kaslrOffset;
        return Long.compareUnsigned(address, START) >= 0 && Long.compareUnsigned(address, END) < 0;
    }
}
