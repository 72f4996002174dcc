package dev.kcovexplorer.app.model;

import dev.kcovexplorer.app.model.modules.ModuleFiles;
import dev.kcovexplorer.app.model.modules.ModuleFinder;
import dev.kcovexplorer.app.model.modules.ModulePlacement;
import dev.kcovexplorer.app.model.modules.SessionModules;
import dev.kcovexplorer.kcov.ModuleLayout;
import dev.kcovexplorer.symbolizer.index.BuildMonitor;
import dev.kcovexplorer.symbolizer.index.KernelIndexCache;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Adds runs to a session whatever their boots: every run is checked to have a layout if it has PCs in
 * module space, the modules they reach and the session lacks are indexed and joined to it
 * ({@link ModulePlacement}), and each run enters with its module PCs at the session's addresses
 * ({@link ModuleRuns}). A run that reaches no module is added as it always was.
 */
public final class RunsWithModules {
    private RunsWithModules() {
    }

    /** A run as read, with the layout of the boot that recorded it (null when there was none) and where it came from. */
    public record Recorded(RunInput raw, ModuleLayout layout, String origin) {
    }

    /**
     * Where module files and indexes come from.
     *
     * @param finder the {@code --modules} directory's files, or null when none was given
     */
    public record ModuleSources(ModuleFinder finder, ModuleFiles files, KernelIndexCache cache, BuildMonitor monitor) {
    }

    /** The session the runs were added to (another one when modules joined) and the runs as added. */
    public record Result(Session session, List<SessionRun> added) {
    }

    /**
     * Adds {@code runs} in order; what a user should know about one (PCs left out) goes to {@code warnings},
     * prefixed with its origin.
     *
     * @throws IllegalArgumentException when a run has module PCs but no layout, or a label is taken
     * @throws IOException              when a module file is missing, of another build, or unreadable
     */
    public static Result add(Session session, ModuleRuns.KernelExtent kernel, List<Recorded> runs,
                             ModuleSources sources, Consumer<String> warnings) throws IOException {
        List<ModulePlacement.BootPcs> boots = new ArrayList<>();
        for (Recorded run : runs) {
            long[] outside = ModuleRuns.requireLayout(run.raw(), run.layout(), kernel);
            boots.add(new ModulePlacement.BootPcs(run.raw().label(), run.layout(), outside));
        }
        SessionModules modules = ModulePlacement.extend(session.modules(), boots, sources.finder(), sources.files(),
                sources.cache(), kernel.ranges(), sources.monitor());
        Session target = session.withModules(modules);
        List<SessionRun> added = new ArrayList<>();
        try (ModuleInspectors inspectors = ModuleInspectors.open(target, sources.finder(), sources.files())) {
            for (Recorded run : runs) {
                ModuleRuns.Relocated relocated = ModuleRuns.relocate(run.raw(), run.layout(), target.modules(), kernel);
                if (relocated.warning() != null) {
                    warnings.accept(run.origin() + ": " + relocated.warning());
                }
                added.add(target.addRun(relocated.input()));
            }
        }
        return new Result(target, added);
    }
}
