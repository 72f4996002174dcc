package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.app.model.RunsWithModules;
import dev.kcovexplorer.app.model.modules.LoadedModules;
import dev.kcovexplorer.app.model.modules.ModuleFiles;
import dev.kcovexplorer.app.model.modules.ModuleFinder;
import dev.kcovexplorer.kcov.ModuleLayout;
import dev.kcovexplorer.kcov.ModuleLayoutReader;
import dev.kcovexplorer.kcov.ModuleLayoutWriter;
import dev.kcovexplorer.symbolizer.index.BuildMonitor;
import dev.kcovexplorer.symbolizer.index.CacheDirectory;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --modules DIR} and {@code --layout FILE}, for every command that takes a kernel: where the
 * modules' {@code .ko} files are, and where the boot that recorded the dumps loaded them. A dump the
 * agent recorded has its layout beside it ({@code DUMP.layout}), used when {@code --layout} is not given.
 */
final class ModuleOptions {
    @Option(names = "--modules", paramLabel = "DIR",
            description = "Where the modules' .ko files are (a build tree, /lib/modules/RELEASE or a debug package's"
                    + " tree; .ko.xz, .ko.zst and .ko.gz too), for PCs in loadable modules.")
    Path modulesDir;

    @Option(names = "--layout", paramLabel = "FILE",
            description = "Where the kernel loaded each module's sections, for every dump: MODULE SECTION ADDRESS lines"
                    + " (/sys/module/NAME/sections/*) or a copy of /proc/modules (places .text only). Default: DUMP.layout"
                    + " beside each dump, as the agent records it.")
    Path layoutFile;

    private ModuleLayout explicit;
    private ModuleFinder finder;

    /**
     * The layout {@code dump} was recorded under: {@code --layout}, else the one the agent wrote beside it,
     * else null. A layout's warnings (a /proc/modules copy) are said once.
     */
    ModuleLayout layoutOf(Path dump, PrintWriter err) throws IOException {
        if (layoutFile != null) {
            if (explicit == null) {
                explicit = read(layoutFile, err);
            }
            return explicit;
        }
        Path beside = ModuleLayoutWriter.besideDump(dump);
        return Files.isRegularFile(beside) ? read(beside, err) : null;
    }

    private static ModuleLayout read(Path file, PrintWriter err) throws IOException {
        ModuleLayout layout = ModuleLayoutReader.read(file);
        layout.warnings().forEach(w -> err.println("kcov-explorer: warning: " + w));
        return layout;
    }

    /** The module files below {@code --modules}, or null without it. */
    ModuleFinder finder() throws IOException {
        if (modulesDir != null && finder == null) {
            finder = ModuleFinder.scan(modulesDir);
        }
        return finder;
    }

    /**
     * The modules {@code --layout} places, with their files from {@code --modules}, for commands that take
     * no dumps ({@code points}, {@code index}); null when neither is given.
     */
    LoadedModules loadedFromLayout(String command, PrintWriter err) throws IOException {
        if (modulesDir == null && layoutFile == null) {
            return null;
        }
        if (modulesDir == null || layoutFile == null) {
            throw new IllegalArgumentException(command + ": --modules DIR and --layout FILE go together (the modules'"
                    + " files, and where the kernel loaded them)");
        }
        ModuleLayout layout = read(layoutFile, err);
        return new LoadedModules(layout, finder(), sources().files());
    }

    /** Where module files and indexes come from, as the CLI keeps them (the user's cache). */
    RunsWithModules.ModuleSources sources() throws IOException {
        return new RunsWithModules.ModuleSources(finder(),
                new ModuleFiles(CacheDirectory.get().resolve("modules")), KernelIndexes.cache(),
                BuildMonitor.SILENT);
    }
}
