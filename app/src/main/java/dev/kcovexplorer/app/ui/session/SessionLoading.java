package dev.kcovexplorer.app.ui.session;

import dev.kcovexplorer.app.model.RunArgument;
import dev.kcovexplorer.app.model.KernelInfo;
import dev.kcovexplorer.app.model.PathMapper;
import dev.kcovexplorer.app.model.ModuleRuns;
import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.app.model.RunsWithModules;
import dev.kcovexplorer.app.model.modules.ModuleFiles;
import dev.kcovexplorer.app.model.modules.ModuleFinder;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.SessionRun;
import dev.kcovexplorer.app.model.algebra.RunNames;
import dev.kcovexplorer.app.model.campaign.Campaign;
import dev.kcovexplorer.app.model.session.SessionFile;
import dev.kcovexplorer.app.model.source.BuildTreeWithPackage;
import dev.kcovexplorer.app.model.source.DirectorySources;
import dev.kcovexplorer.app.model.source.KernelSources;
import dev.kcovexplorer.app.model.source.SourceManifest;
import dev.kcovexplorer.app.model.source.SourcePackage;
import dev.kcovexplorer.app.model.source.SourceProvider;
import dev.kcovexplorer.app.model.source.TarballSources;
import dev.kcovexplorer.app.ui.task.Progress;
import dev.kcovexplorer.kcov.CoverageRun;
import dev.kcovexplorer.kcov.DumpReader;
import dev.kcovexplorer.kcov.ModuleLayout;
import dev.kcovexplorer.kcov.ModuleLayoutReader;
import dev.kcovexplorer.kcov.ModuleLayoutWriter;
import dev.kcovexplorer.symbolizer.attribution.ReturnAddressInspector;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.index.BuildMonitor;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import dev.kcovexplorer.symbolizer.index.KernelIndexBuilder;
import dev.kcovexplorer.symbolizer.index.CacheDirectory;
import dev.kcovexplorer.symbolizer.index.KernelIndexCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The slow steps of opening inputs, run off the FX thread with progress, the way the CLI's report does
 * them: a session file, or a vmlinux indexed through the shared index cache, then dumps as runs
 * ({@code FILE} or {@code LABEL=FILE}; unlabelled runs take the next letter name A, B, …) and directories
 * as run series ({@code DIR} or {@code LABEL=DIR}: a campaign, or rawcover files ordered by time).
 */
public final class SessionLoading {
    private SessionLoading() {
    }

    public static Session fromSessionFile(Path file, Path sourceRoot, Progress progress) throws IOException {
        return fromSessionFile(file, sourceRoot, null, progress);
    }

    /** The same, taking the session from {@code ahead} when that is reading this file (null: read here). */
    public static Session fromSessionFile(Path file, Path sourceRoot, SessionReadAhead ahead, Progress progress)
            throws IOException {
        progress.message("reading " + file.getFileName());
        Session session = ahead != null && ahead.reads(file) ? ahead.take() : SessionFile.read(file);
        if (sourceRoot != null && Files.isDirectory(sourceRoot)) {
            session.setSourceRoot(sourceRoot);
        }
        return session;
    }

    /** Indexes a vmlinux (or takes its cached index) into a new session. */
    public static Session fromVmlinux(Path vmlinux, Path sourceRoot, Progress progress) throws IOException {
        KernelIndexCache cache = new KernelIndexCache(CacheDirectory.get(), new KernelIndexBuilder());
        KernelIndex index = cache.open(vmlinux, monitor(progress)).index();
        return Session.create(index, PathMapper.forCompDir(index.compDir()), KernelInfo.UNKNOWN,
                sourceRoot != null && Files.isDirectory(sourceRoot) ? sourceRoot : null);
    }

    /** Where the modules' files are and where the kernel loaded them, as the command line gave them (each may be null). */
    public record ModuleInputs(Path modules, Path layout) {
        public static final ModuleInputs NONE = new ModuleInputs(null, null);
    }

    /**
     * Reads dumps into runs. With the vmlinux at hand, PCs that are neither points nor known tail-call
     * returns are inspected in its code (as the CLI does); a session file alone attributes from its index.
     * Runs that reach loadable modules bring them into the session, which is then another one: the
     * answer is the session that holds the runs. A dump's layout is {@code modules.layout()}, else the
     * {@code DUMP.layout} the agent wrote beside it.
     */
    public static Session addRuns(Session session, Path vmlinux, List<String> specs, ModuleInputs modules,
                                  Progress progress) throws IOException {
        if (specs.isEmpty()) {
            return session;
        }
        ModuleLayout explicit = modules.layout() == null ? null : ModuleLayoutReader.read(modules.layout());
        ElfFile elf = vmlinux == null ? null : ElfFile.open(vmlinux);
        try {
            if (elf != null) {
                session.setInspector(ReturnAddressInspector.of(elf));
            }
            List<RunsWithModules.Recorded> recorded = new ArrayList<>();
            List<String> series = new ArrayList<>();
            for (int i = 0; i < specs.size(); i++) {
                progress.checkCancelled();
                String spec = specs.get(i);
                RunArgument argument = RunArgument.parse(spec);
                Path file = argument.file();
                progress.message("reading " + file.getFileName());
                progress.progress(i, specs.size());
                if (Campaign.isSeries(file)) {
                    series.add(spec);
                    continue;
                }
                CoverageRun run = DumpReader.read(file);
                String label = argument.label() != null ? argument.label()
                        : RunNames.letterName(session.runs().size() + recorded.size());
                Path beside = ModuleLayoutWriter.besideDump(file);
                ModuleLayout layout = explicit != null ? explicit
                        : Files.isRegularFile(beside) ? ModuleLayoutReader.read(beside) : null;
                recorded.add(new RunsWithModules.Recorded(RunInput.of(label, run, null), layout, file.toString()));
            }
            ModuleRuns.KernelExtent extent = elf != null ? ModuleRuns.KernelExtent.of(elf)
                    : ModuleRuns.KernelExtent.of(session.kernelIndex());
            RunsWithModules.ModuleSources sources = new RunsWithModules.ModuleSources(
                    modules.modules() == null ? null : ModuleFinder.scan(modules.modules()),
                    new ModuleFiles(CacheDirectory.get().resolve("modules")),
                    new KernelIndexCache(CacheDirectory.get(), new KernelIndexBuilder()), monitor(progress));
            Session result = RunsWithModules.add(session, extent, recorded, sources, progress::message).session();
            for (String spec : series) {
                addSeries(result, spec, progress);
            }
            progress.progress(specs.size(), specs.size());
            result.setInspector(null);
            return result;
        } finally {
            if (elf != null) {
                session.setInspector(null);
                elf.close();
            }
        }
    }

    /** A run series ({@code DIR} or {@code LABEL=DIR}), snapshot by snapshot. */
    private static void addSeries(Session session, String spec, Progress progress) throws IOException {
        RunArgument argument = RunArgument.parse(spec);
        Campaign campaign = Campaign.read(argument.file());
        campaign.addTo(session, argument.label(), snapshot -> {
            progress.checkCancelled();
            progress.message("reading " + campaign.name() + ": snapshot " + (snapshot + 1) + " of "
                    + campaign.snapshots().size());
            progress.progress(snapshot, campaign.snapshots().size());
        });
    }

    /**
     * The sources for a session: the given root (a directory, a kernel git checkout or a source tarball), else
     * the build's own tree when it is on this machine (with the Debian source package the session names for the
     * files it lacks), else that package.
     */
    public static KernelSources sourcesFor(Session session, Path sourceRoot) throws IOException {
        if (sourceRoot != null && Files.isRegularFile(sourceRoot) && TarballSources.isTarball(sourceRoot)) {
            Map<String, String> wanted = new TreeMap<>();
            for (int f = 0; f < session.layout().fileCount(); f++) {
                String path = session.layout().filePath(f);
                wanted.put(path, session.kernel().sourceHashes().getOrDefault(path, ""));
            }
            return new TarballSources(sourceRoot, CacheDirectory.get(), wanted);
        }
        Path root = sourceRoot != null ? sourceRoot : session.sourceRoot().orElse(null);
        if (root == null && session.index().compDir() != null) {
            Path compDir = Path.of(session.index().compDir());
            if (Files.isDirectory(compDir)) {
                root = compDir;
            }
        }
        if (root != null && Files.isDirectory(root)) {
            String built = session.kernel().sourceVersion();
            DirectorySources tree = new DirectorySources(root, session.kernel().sourceHashes(),
                    built == null ? null : SourcePackage.upstreamVersion(built));
            // A tree found rather than chosen may lack the files (a cleaned build folder): the package has them.
            Optional<SourceManifest> manifest = session.kernel().sourceManifest();
            return sourceRoot == null && manifest.isPresent()
                    ? new BuildTreeWithPackage(root, tree, SourceProvider.forUserCache(manifest.get())) : tree;
        }
        if (sourceRoot != null) {
            throw new IOException(sourceRoot + ": not a directory or a source tarball (.tar.xz, .tar.gz, .tgz, .tar)");
        }
        return session.kernel().sourceManifest()
                .<KernelSources>map(SourceProvider::forUserCache)
                .orElse(KernelSources.NONE);
    }

    private static BuildMonitor monitor(Progress progress) {
        return new BuildMonitor() {
            @Override
            public void progress(String step, long done, long total) {
                progress.message(step);
                progress.progress(done, total);
            }

            @Override
            public boolean isCancelled() {
                return progress.isCancelled();
            }
        };
    }
}
