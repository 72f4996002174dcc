package dev.kcovexplorer.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kcovexplorer.kcov.CoverageRun;
import dev.kcovexplorer.kcov.DumpFormat;
import dev.kcovexplorer.kcov.DumpReader;
import dev.kcovexplorer.kcov.PcKind;
import dev.kcovexplorer.kcov.TraceMode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code info [--json] FILE…}: what each coverage file holds. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show format, word size, mode, entries, unique PCs and overflow of coverage files.")
final class InfoCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "One JSON object per file and line.")
    boolean json;

    @Mixin
    DumpOptionsMixin dump;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "kcov areas or PC lists, plain or gzip.")
    List<Path> files;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        int status = 0;
        for (Path file : files) {
            CoverageRun run;
            try {
                run = DumpReader.read(file, dump.options());
            } catch (IOException | RuntimeException e) {
                Cli.reportError(spec, e);
                status = 1;
                continue;
            }
            out.println(json ? jsonLine(file, run) : textLine(file, run));
            if (!json) {
                for (String warning : run.warnings()) {
                    out.println(file + ": warning: " + warning);
                }
            }
            out.flush();
        }
        return status;
    }

    static String formatName(CoverageRun run) {
        return run.format().id() + (run.gzipped() ? "+gzip" : "");
    }

    private static String jsonLine(Path file, CoverageRun run) throws JsonProcessingException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("file", file.toString());
        line.put("format", formatName(run));
        line.put("wordSize", run.wordSize());
        line.put("mode", run.mode().id());
        line.put("entries", run.entries());
        line.put("uniquePcs", run.uniquePcs().length);
        line.put("overflow", run.overflowed());
        return JSON.writeValueAsString(line);
    }

    private static String textLine(Path file, CoverageRun run) {
        String entries = run.mode() == TraceMode.PC ? run.entries() + " PCs"
                : run.entries() + " CMP records";
        String kind = run.pcKind() == PcKind.RETURN_ADDRESS ? "return addresses"
                : run.pcKind() == PcKind.CALL_SITE ? "call sites" : "PC kind unknown";
        String line = String.format("%s: %s, %d-byte words, mode %s, %s, %d unique PCs, %s", file, formatName(run),
                run.wordSize(), run.mode().id(), entries, run.uniquePcs().length, kind);
        if (run.format() != DumpFormat.BINARY) {
            return line;
        }
        return line + (run.overflowed() ? ", area overflowed" : ", complete");
    }
}
