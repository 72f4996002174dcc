package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.symbolizer.index.BuildMonitor;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import dev.kcovexplorer.symbolizer.index.KernelIndexCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code index}: builds or refreshes the cached kernel index and says what it did. */
@Command(name = "index", mixinStandardHelpOptions = true,
        description = {"Build or refresh the cached index of a kernel image (coverage points, their inline chains, "
                + "the tail-call table) under $XDG_CACHE_HOME/kcov-explorer, and print what was done and how long it took."})
public final class IndexCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--vmlinux", paramLabel = "FILE", required = true, description = "Kernel image with debug info.")
    Path vmlinux;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        KernelIndexCache.Result result = KernelIndexes.cache().open(vmlinux, BuildMonitor.SILENT);
        double seconds = (System.nanoTime() - start) / 1e9;
        KernelIndex index = result.index();
        int tails = 0;
        for (int p = 0; p < index.pointCount(); p++) {
            tails += index.pointKind(p) == KernelIndex.TAIL_CALL ? 1 : 0;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(result.status().description() + ": " + result.file()
                + (result.detail().isEmpty() ? "" : " (" + result.detail() + ")"));
        out.printf(Locale.ROOT, "%d call points, %d tail-call points, %d frames, %d strings, %d tail-call return "
                        + "addresses%n", index.pointCount() - tails, tails, index.frameCount(), index.stringCount(),
                index.tailReturnAddressCount());
        out.printf(Locale.ROOT, "in %.2f s%n", seconds);
        out.flush();
        return 0;
    }
}
