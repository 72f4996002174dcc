package dev.kcovexplorer.symbolizer.attribution;

import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.elf.ElfMachine;
import dev.kcovexplorer.symbolizer.elf.ElfSection;
import dev.kcovexplorer.symbolizer.elf.ElfSymbol;
import dev.kcovexplorer.symbolizer.points.LongIntHashMap;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Looks at the instruction before an unresolved return address to say why it stayed unresolved:
 * an indirect call (including x86 retpoline thunk calls, also after the kernel patched them into
 * {@code call *%reg} + NOPs, which moves the return address into the original 5 bytes), a direct
 * call of a function without a tail call, or no call at all. In a placed module, calls of other images'
 * functions land on import stubs ({@link ElfFile#importStubs()}): a retpoline thunk's is an indirect call,
 * any other's a call into another image. An inspector can be joined {@link #with} the placed modules of a
 * session, so that each PC is explained by the image that holds it.
 */
public final class ReturnAddressInspector {
    private static final int CALL_REL32 = 0xE8;
    private static final String X86_INDIRECT_THUNK = "__x86_indirect_";

    private final ElfFile elf;
    private final boolean arm64;
    private final LongIntHashMap indirectThunks = new LongIntHashMap();
    /** Import stubs of other images' functions (not thunks). */
    private final LongIntHashMap otherImages = new LongIntHashMap();
    /** Images tried, in order, for a PC outside this one's code. */
    private final List<ReturnAddressInspector> others;

    private ReturnAddressInspector(ElfFile elf, List<ReturnAddressInspector> others) {
        this.elf = elf;
        this.arm64 = elf.machine() == ElfMachine.AARCH64;
        this.others = List.copyOf(others);
        for (ElfSymbol s : elf.symbols().all()) {
            if (s.isDefined() && s.name().startsWith(X86_INDIRECT_THUNK)) {
                indirectThunks.put(s.address(), 1);
            }
        }
        elf.importStubs().forEach((stub, name) -> (name.startsWith(X86_INDIRECT_THUNK) ? indirectThunks : otherImages)
                .put(stub, 1));
    }

    public static ReturnAddressInspector of(ElfFile elf) {
        return new ReturnAddressInspector(elf, List.of());
    }

    /** This inspector and {@code modules}' (placed where the session has them): each PC explained by its image. */
    public ReturnAddressInspector with(List<ReturnAddressInspector> modules) {
        List<ReturnAddressInspector> all = new ArrayList<>(others);
        all.addAll(modules);
        return new ReturnAddressInspector(elf, all);
    }

    public UnresolvedReason explain(long returnAddress) {
        ElfSection section = elf.sectionContaining(returnAddress - 1);
        if (section == null || !section.isExecutable()) {
            for (ReturnAddressInspector other : others) {
                ElfSection there = other.elf.sectionContaining(returnAddress - 1);
                if (there != null && there.isExecutable()) {
                    return other.explain(returnAddress);
                }
            }
            return UnresolvedReason.OUTSIDE_CODE;
        }
        ByteBuffer code = section.contents();
        int end = (int) (returnAddress - section.address());
        return arm64 ? explainArm64(code, end) : explainX86(code, end, returnAddress);
    }

    private UnresolvedReason explainX86(ByteBuffer code, int end, long returnAddress) {
        if (end >= 5 && (code.get(end - 5) & 0xff) == CALL_REL32) {
            long target = returnAddress + code.getInt(end - 4);
            if (indirectThunks.containsKey(target)) {
                return UnresolvedReason.INDIRECT_CALL;
            }
            if (otherImages.containsKey(target)) {
                return UnresolvedReason.CALLEE_IN_ANOTHER_IMAGE;
            }
            return tailJumpsIndirectly(target) ? UnresolvedReason.CALLEE_TAIL_JUMPS_INDIRECTLY
                    : UnresolvedReason.CALLEE_WITHOUT_TAIL_CALL;
        }
        for (int back = 1; back <= 3; back++) {
            int at = end - back;
            if (at >= 0 && at + 5 <= code.limit() && (code.get(at) & 0xff) == CALL_REL32
                    && indirectThunks.containsKey(returnAddress - back + 5 + code.getInt(at + 1))) {
                return UnresolvedReason.INDIRECT_CALL;
            }
        }
        for (int length = 2; length <= 7; length++) {
            int at = end - length;
            if (at >= 0 && (code.get(at) & 0xff) == 0xFF && indirectCallLength(code, at + 1, end) == length) {
                return UnresolvedReason.INDIRECT_CALL;
            }
        }
        return UnresolvedReason.NOT_AFTER_CALL;
    }

    /**
     * True when the function starting at {@code start} contains a tail jump through a pointer: a
     * {@code jmp} to a retpoline thunk, or {@code jmp *%reg}. Its callee may be what tail-called the
     * callback. A byte scan of one function: a false hit only changes the wording of a reason.
     */
    private boolean tailJumpsIndirectly(long start) {
        ElfSymbol f = elf.symbols().functionContaining(start);
        ElfSection section = elf.sectionContaining(start);
        if (f == null || f.address() != start || section == null || !section.isExecutable()) {
            return false;
        }
        ByteBuffer code = section.contents();
        int from = (int) (start - section.address());
        int to = (int) Math.min(code.limit(), from + f.size());
        for (int i = from; i + 1 < to; i++) {
            int op = code.get(i) & 0xff;
            if (op == 0xE9 && i + 5 <= to && indirectThunks.containsKey(start + (i - from) + 5 + code.getInt(i + 1))) {
                return true;
            }
            int modrm = code.get(i + 1) & 0xff;
            if (op == 0xFF && modrm >= 0xE0 && modrm <= 0xE7) {
                return true; // jmp *%reg
            }
        }
        return false;
    }

    /** Length of {@code FF /2} (call near indirect) whose ModRM byte is at {@code modrmAt}, or -1. */
    private static int indirectCallLength(ByteBuffer code, int modrmAt, int end) {
        if (modrmAt >= end) {
            return -1;
        }
        int modrm = code.get(modrmAt) & 0xff;
        int mod = modrm >>> 6;
        int reg = (modrm >>> 3) & 7;
        int rm = modrm & 7;
        if (reg != 2) {
            return -1;
        }
        int length = 2;
        if (mod == 3) {
            return length;
        }
        if (rm == 4) {
            if (modrmAt + 1 >= end) {
                return -1;
            }
            length++;
            int sibBase = code.get(modrmAt + 1) & 7;
            if (mod == 0 && sibBase == 5) {
                return length + 4;
            }
        } else if (mod == 0 && rm == 5) {
            return length + 4; // RIP-relative
        }
        return length + (mod == 1 ? 1 : mod == 2 ? 4 : 0);
    }

    private static UnresolvedReason explainArm64(ByteBuffer code, int end) {
        if (end < 4 || end % 4 != 0) {
            return UnresolvedReason.NOT_AFTER_CALL;
        }
        int insn = code.getInt(end - 4);
        if ((insn & 0xFC00_0000) == 0x9400_0000) {
            return UnresolvedReason.CALLEE_WITHOUT_TAIL_CALL; // BL
        }
        boolean blr = (insn & 0xFFFF_FC1F) == 0xD63F_0000;
        boolean blrPointerAuth = (insn & 0xFEFF_F800) == 0xD63F_0800;
        return blr || blrPointerAuth ? UnresolvedReason.INDIRECT_CALL : UnresolvedReason.NOT_AFTER_CALL;
    }
}
