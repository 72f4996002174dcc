package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.app.model.modules.LoadedModules;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.points.CoveragePointScanner;
import dev.kcovexplorer.symbolizer.points.PointKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
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

    @Mixin
    ModuleOptions modules = new ModuleOptions();

    @Override
    public Integer call() throws Exception {
        PointKind which = parseKind(kind);
        long[] points;
        try (ElfFile elf = ElfFile.open(vmlinux)) {
            points = CoveragePointScanner.scan(elf).of(which);
        }
        LoadedModules loaded = modules.loadedFromLayout("points", spec.commandLine().getErr());
        if (loaded != null) {
            points = withModules(points, which, loaded);
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

    /** The kernel's points and those of every module of the layout whose file is there, at the layout's addresses. */
    private long[] withModules(long[] kernel, PointKind which, LoadedModules loaded) throws IOException {
        java.util.stream.LongStream.Builder all = java.util.stream.LongStream.builder();
        java.util.stream.LongStream.of(kernel).forEach(all::add);
        PrintWriter err = spec.commandLine().getErr();
        for (String module : loaded.layout().modules()) {
            Path file;
            try {
                file = loaded.elf(module);
            } catch (IOException missing) {
                err.println("kcov-explorer: warning: " + missing.getMessage() + ": its points are left out");
                continue;
            }
            try (ElfFile placed = ElfFile.openPlaced(file, loaded.sections(module))) {
                java.util.stream.LongStream.of(CoveragePointScanner.scan(placed).of(which)).forEach(all::add);
            }
        }
        err.flush();
        return all.build().sorted().toArray();
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
