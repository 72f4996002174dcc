package dev.kcovexplorer.symbolizer.points;

import dev.kcovexplorer.symbolizer.elf.ElfSymbol;
import dev.kcovexplorer.symbolizer.elf.SymbolTable;

import java.util.Arrays;

/**
 * The addresses a branch must target to be a coverage point: the sanitizer-coverage callbacks and the
 * linker trampolines that reach them on arm64 ({@code ____sanitizer_cov_trace_pc_veneer} from ld.bfd,
 * {@code __AArch64AbsLongThunk___sanitizer_cov_trace_pc} from lld).
 */
public final class CoverageCallbacks {
    static final String TRACE_PC = "__sanitizer_cov_trace_pc";

    public static final int TRACE_PC_TARGET = 0;
    /** A comparison callback's target value is this plus its {@link ComparisonType}. */
    public static final int COMPARISON_TARGET = 1;

    private final long[] tracePc;
    private final long[] comparison;
    /** {@link ComparisonType} of each {@link #comparison} address. */
    private final int[] comparisonTypes;

    private CoverageCallbacks(long[] tracePc, long[] comparison, int[] comparisonTypes) {
        this.tracePc = tracePc;
        this.comparison = comparison;
        this.comparisonTypes = comparisonTypes;
    }

    /** Looks the callbacks up in a symbol table; both sets are empty when the image has no kcov. */
    public static CoverageCallbacks find(SymbolTable symbols) {
        long[] pc = new long[4];
        long[] cmp = new long[16];
        int[] cmpTypes = new int[16];
        int pcCount = 0;
        int cmpCount = 0;
        for (ElfSymbol s : symbols.all()) {
            if (!s.isDefined() || !s.name().startsWith("__")) {
                continue;
            }
            String callee = calleeOf(s.name());
            int type = ComparisonType.ofCallback(callee);
            if (callee.equals(TRACE_PC)) {
                pc = append(pc, pcCount++, s.address());
            } else if (type >= 0) {
                if (cmpCount == cmpTypes.length) {
                    cmpTypes = Arrays.copyOf(cmpTypes, cmpCount * 2);
                }
                cmpTypes[cmpCount] = type;
                cmp = append(cmp, cmpCount++, s.address());
            }
        }
        return new CoverageCallbacks(sortedDistinct(pc, pcCount), Arrays.copyOf(cmp, cmpCount),
                Arrays.copyOf(cmpTypes, cmpCount));
    }

    /**
     * What a call of the function {@code name} is: {@link #TRACE_PC_TARGET}, {@link #COMPARISON_TARGET}
     * plus its {@link ComparisonType}, or -1 when it is no coverage callback.
     */
    public static int targetOf(String name) {
        if (name.equals(TRACE_PC)) {
            return TRACE_PC_TARGET;
        }
        int type = ComparisonType.ofCallback(name);
        return type < 0 ? -1 : COMPARISON_TARGET + type;
    }

    /** The function a symbol stands for: itself, or the target of a linker veneer/thunk. */
    static String calleeOf(String name) {
        if (name.endsWith("_veneer") && name.startsWith("__")) {
            return name.substring(2, name.length() - "_veneer".length());
        }
        int thunk = name.indexOf("Thunk_");
        if (name.startsWith("__AArch64") && thunk > 0) {
            return name.substring(thunk + "Thunk_".length());
        }
        return name;
    }

    private static long[] append(long[] array, int count, long value) {
        long[] out = count < array.length ? array : Arrays.copyOf(array, count * 2);
        out[count] = value;
        return out;
    }

    private static long[] sortedDistinct(long[] values, int count) {
        long[] out = Arrays.copyOf(values, count);
        Arrays.sort(out);
        return Arrays.stream(out).distinct().toArray();
    }

    /** True when the image has neither a PC nor a comparison callback: nothing to scan for. */
    public boolean isEmpty() {
        return tracePc.length == 0 && comparison.length == 0;
    }

    /**
     * Every callback address → {@link #TRACE_PC_TARGET}, or {@link #COMPARISON_TARGET} plus the
     * callback's {@link ComparisonType}, for the branch scan.
     */
    public LongIntHashMap targets() {
        LongIntHashMap map = new LongIntHashMap(tracePc.length + comparison.length);
        for (int i = 0; i < comparison.length; i++) {
            map.put(comparison[i], COMPARISON_TARGET + comparisonTypes[i]);
        }
        for (long a : tracePc) {
            map.put(a, TRACE_PC_TARGET);
        }
        return map;
    }
}
