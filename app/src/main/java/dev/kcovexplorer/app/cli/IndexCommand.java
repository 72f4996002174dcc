package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.app.model.modules.LoadedModules;
import dev.kcovexplorer.symbolizer.index.BuildMonitor;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import dev.kcovexplorer.symbolizer.index.KernelIndexCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    ModuleOptions modules = new ModuleOptions();

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
        LoadedModules loaded = modules.loadedFromLayout("index", spec.commandLine().getErr());
        if (loaded != null) {
            for (String module : loaded.layout().modules()) {
                java.nio.file.Path file;
                try {
                    file = loaded.elf(module);
                } catch (java.io.IOException missing) {
                    spec.commandLine().getErr().println("kcov-explorer: warning: " + missing.getMessage()
                            + ": not indexed");
                    continue;
                }
                KernelIndexCache.Result placed = KernelIndexes.cache().openPlaced(file, loaded.sections(module),
                        BuildMonitor.SILENT);
                out.printf(Locale.ROOT, "module %s: %s: %s (%d points)%n", module, placed.status().description(),
                        placed.file(), placed.index().pointCount());
            }
            seconds = (System.nanoTime() - start) / 1e9;
        }
        out.printf(Locale.ROOT, "in %.2f s%n", seconds);
        out.flush();
        return 0;
    }
}
