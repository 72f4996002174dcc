package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.kcov.AtomicFiles;
import dev.kcovexplorer.kcov.CoverageRun;
import dev.kcovexplorer.kcov.DumpReader;
import dev.kcovexplorer.kcov.DumpWriter;
import dev.kcovexplorer.kcov.TraceMode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code convert IN -o OUT --to text|binary}. */
@Command(name = "convert", mixinStandardHelpOptions = true, description = {
    "Convert a coverage file between a text PC list and a binary kcov area, keeping the trace order.",
    "A TRACE_CMP area becomes the list of its comparison sites (the ip column) as text."})
final class ConvertCommand implements Callable<Integer> {
    enum Target {
        TEXT, BINARY;

        static Target parse(String value) {
            for (Target t : values()) {
                if (t.name().equalsIgnoreCase(value.trim())) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown output format '" + value + "', expected text or binary");
        }
    }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "Output file (never the input).")
    Path output;

    @Option(names = "--to", required = true, paramLabel = "text|binary", converter = TargetConverter.class,
            description = "Output format.")
    Target target;

    @Option(names = "--out-word-size", paramLabel = "4|8",
            description = "Word size of a binary output (default: the input's).")
    int outWordSize;

    @Mixin
    DumpOptionsMixin dump;

    @Override
    public Integer call() throws IOException {
        if (outWordSize != 0 && outWordSize != 4 && outWordSize != 8) {
            throw new IllegalArgumentException("--out-word-size must be 4 or 8, not " + outWordSize);
        }
        AtomicFiles.requireNotAnInput(output, List.of(input));
        CoverageRun run = DumpReader.read(input, dump.options());
        String what;
        if (target == Target.BINARY) {
            int wordSize = outWordSize != 0 ? outWordSize : run.wordSize();
            DumpWriter.writeBinary(output, run, wordSize);
            what = String.format("binary, %d-byte words, %d %s", wordSize, run.entries(),
                    run.mode() == TraceMode.PC ? "PCs" : "CMP records");
        } else {
            long[] pcs = run.mode() == TraceMode.PC ? run.trace() : run.cmp().ips();
            DumpWriter.writeText(output, pcs, run.pcKind(), "kcov-explorer convert " + input.getFileName()
                    + (run.mode() == TraceMode.CMP ? " (comparison sites of a TRACE_CMP area)" : ""));
            what = "text, " + pcs.length + " PCs";
        }
        spec.commandLine().getOut().println(output + ": " + what);
        for (String warning : run.warnings()) {
            spec.commandLine().getOut().println(input + ": warning: " + warning);
        }
        return 0;
    }

    static final class TargetConverter implements picocli.CommandLine.ITypeConverter<Target> {
        @Override
        public Target convert(String value) {
            return Target.parse(value);
        }
    }
}
