package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.symbolizer.AddressSymbolizer;
import dev.kcovexplorer.symbolizer.Frame;
import dev.kcovexplorer.symbolizer.FrameTable;
import dev.kcovexplorer.symbolizer.Symbolizer;
import dev.kcovexplorer.symbolizer.external.ExternalBackend;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code symbolize --vmlinux FILE [--backend java|llvm|gnu] [ADDRESS_FILE]}: one JSON object per
 * input address, in input order, with its inline chain innermost first. The java backend answers
 * coverage points from the cached kernel index when a fresh one exists.
 */
@Command(name = "symbolize", mixinStandardHelpOptions = true, description = "Print the inline chain (function, file, line) of each address as JSON lines.")
final class SymbolizeCommand implements Callable<Integer> {
    enum Backend { java, llvm, gnu }

    @Spec
    CommandSpec spec;

    @Option(names = "--vmlinux", required = true, paramLabel = "FILE", description = "The ELF file the addresses belong to.")
    Path vmlinux;

    @Option(names = "--backend", defaultValue = "java", paramLabel = "java|llvm|gnu",
            description = "java: our DWARF reader (default); llvm: llvm-symbolizer; gnu: addr2line.")
    Backend backend;

    @Parameters(arity = "0..1", paramLabel = "ADDRESS_FILE",
            description = "One address per line (0x hex, hex or decimal; # comments). Default: standard input.")
    Path addressFile;

    @Override
    public Integer call() throws IOException {
        long[] addresses = readAddresses();
        if (!Files.isRegularFile(vmlinux)) {
            throw new java.nio.file.NoSuchFileException(vmlinux.toString());
        }
        PrintWriter out = spec.commandLine().getOut();
        JsonLines lines = new JsonLines(out);
        Optional<KernelIndex> index = backend == Backend.java ? KernelIndexes.cache().loadIfFresh(vmlinux)
                : Optional.empty();
        if (index.isPresent()) {
            writeThroughIndex(lines, addresses, index.get());
        } else if (backend == Backend.java) {
            try (Symbolizer symbolizer = Symbolizer.open(vmlinux)) {
                FrameTable table = symbolizer.symbolizeAll(addresses);
                lines.writeAll(table);
            }
        } else {
            ExternalBackend external = backend == Backend.llvm ? ExternalBackend.LLVM : ExternalBackend.GNU;
            try (AddressSymbolizer symbolizer = external.open(vmlinux)) {
                List<List<Frame>> chains = symbolizer.symbolize(addresses);
                for (int i = 0; i < addresses.length; i++) {
                    lines.write(addresses[i], chains.get(i));
                }
            }
        }
        lines.flush();
        return 0;
    }

    /**
     * Coverage points are answered from the cached index ({@code kcov-explorer index} builds it; this
     * command never does), only the other addresses, if any, from the DWARF.
     */
    private void writeThroughIndex(JsonLines lines, long[] addresses, KernelIndex index) throws IOException {
        int[] points = new int[addresses.length];
        int misses = 0;
        for (int i = 0; i < addresses.length; i++) {
            points[i] = index.findPoint(addresses[i]);
            misses += points[i] < 0 ? 1 : 0;
        }
        List<List<Frame>> others = List.of();
        if (misses > 0) {
            long[] missing = new long[misses];
            for (int i = 0, m = 0; i < addresses.length; i++) {
                if (points[i] < 0) {
                    missing[m++] = addresses[i];
                }
            }
            try (Symbolizer symbolizer = Symbolizer.open(vmlinux)) {
                others = symbolizer.symbolize(missing);
            }
        }
        for (int i = 0, m = 0; i < addresses.length; i++) {
            if (points[i] >= 0) {
                lines.write(addresses[i], index, points[i]);
            } else {
                lines.write(addresses[i], others.get(m++));
            }
        }
    }

    private long[] readAddresses() throws IOException {
        if (addressFile == null) {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            return AddressListParser.parse(in, "standard input");
        }
        try (BufferedReader in = Files.newBufferedReader(addressFile, StandardCharsets.UTF_8)) {
            return AddressListParser.parse(in, addressFile.toString());
        }
    }

}
