package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.points.CoveragePointScanner;
import dev.kcovexplorer.symbolizer.points.PointKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code points}: the coverage points of a vmlinux, one call-site address per line. */
@Command(name = "points", mixinStandardHelpOptions = true,
        description = {"Print the coverage points of a kernel image: call-site addresses (0x-hex, sorted), one per line.",
            "call = calls of __sanitizer_cov_trace_pc, tail = tail calls (jmp) of it, "
                + "cmp = calls of the __sanitizer_cov_trace_*cmp* and _switch hooks."})
public final class PointsCommand implements Callable<Integer> {
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
        Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.US_ASCII), 1 << 16);
        for (long p : points) {
            out.write("0x");
            out.write(Long.toHexString(p));
            out.write('\n');
        }
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
