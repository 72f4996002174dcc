package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.points.CoveragePointScanner;
import dev.kcovexplorer.symbolizer.points.PointKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code points}: the coverage points of a vmlinux, one call-site address per line. */
@Command(name = "points", mixinStandardHelpOptions = true,
        description = {"Print the coverage points of a kernel image: call-site addresses (0x-hex, sorted), one per line.",
            "call = calls of __sanitizer_cov_trace_pc, tail = tail calls (jmp) of it, "
                + "cmp = calls of the __sanitizer_cov_trace_*cmp* and _switch hooks."})
public final class PointsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--vmlinux", paramLabel = "FILE", required = true, description = "Kernel image (or any ELF).")
    Path vmlinux;

    @Option(names = "--kind", paramLabel = "call|tail|cmp", defaultValue = "call",
            description = "Which points (default: ${DEFAULT-VALUE}).")
    String kind;

    @Override
    public Integer call() throws Exception {
        PointKind which = parseKind(kind);
        long[] points;
        try (ElfFile elf = ElfFile.open(vmlinux)) {
            points = CoveragePointScanner.scan(elf).of(which);
        }
        StringBuilder text = new StringBuilder(points.length * 20);
        for (long p : points) {
            text.append("0x").append(Long.toHexString(p)).append('\n');
        }
        PrintWriter out = spec.commandLine().getOut();
        out.append(text);
        out.flush();
        return 0;
    }

    static PointKind parseKind(String kind) {
        switch (kind.toLowerCase(Locale.ROOT)) {
            case "call":
                return PointKind.CALL;
            case "tail":
                return PointKind.TAIL;
            case "cmp":
                return PointKind.CMP;
            default:
                throw new IllegalArgumentException("--kind " + kind + ": expected call, tail or cmp");
        }
    }
}
