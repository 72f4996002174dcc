package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.launch.StartView;
import dev.kcovexplorer.app.model.AttributionFigures;
import dev.kcovexplorer.app.model.ComparisonCoverage;
import dev.kcovexplorer.app.model.Figures;
import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.app.model.RunSeries;
import dev.kcovexplorer.app.model.SeriesEnds;
import dev.kcovexplorer.app.model.SeriesPoint;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.SessionRun;
import dev.kcovexplorer.app.model.session.SessionFile;
import dev.kcovexplorer.app.model.source.KernelSources;
import dev.kcovexplorer.app.ui.compose.Composition;
import dev.kcovexplorer.app.ui.demo.DemoVmViewModel;
import dev.kcovexplorer.app.ui.editor.EditorContent;
import dev.kcovexplorer.app.ui.runs.RunItem;
import dev.kcovexplorer.app.ui.runs.RunsViewModel;
import dev.kcovexplorer.app.ui.series.SeriesChartViewModel;
import dev.kcovexplorer.app.ui.session.CachedSources;
import dev.kcovexplorer.app.ui.session.CoverageSnapshot;
import dev.kcovexplorer.app.ui.session.RunExpressions;
import dev.kcovexplorer.app.ui.session.SessionLoading;
import dev.kcovexplorer.app.ui.session.SessionReadAhead;
import dev.kcovexplorer.app.ui.session.UniqueCoverage;
import dev.kcovexplorer.app.ui.task.Progress;
import dev.kcovexplorer.app.ui.task.TaskHandle;
import dev.kcovexplorer.kcov.AtomicFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Connects the coverage model to the window: opens inputs into a {@link Session} off the FX thread,
 * recomputes the composition whenever it or the runs change, and hands the results to the tool-window
 * view models. The only class of the window that talks to the model.
 */
public final class SessionController implements RunsViewModel.Actions, SeriesChartViewModel.Actions {
    /** The key of the task opening a session: a later open gives up an earlier one still running. */
    private static final String OPEN_TASK = "open a session";
    private final MainViewModel model;
    /**
     * Runs on the worker that has just built a start view's editor content ahead, with its file: this controller's
     * only, so a test that watches it leaves no other window's hook behind ({@link #whenStartEditorBuilt}).
     */
    private volatile Consumer<String> startEditorBuilt = path -> { };
    /** Completed once the window is built: the work ahead of the start view waits for it ({@link #prepareAhead}). */
    private final CompletableFuture<Void> windowBuilt = new CompletableFuture<>();
    private Session session;
    private CachedSources sources = new CachedSources(KernelSources.NONE);
    private CoverageSnapshot snapshot;
    // The composition being computed, and whether the runs or the expression changed meanwhile.
    private TaskHandle<CoverageSnapshot> computing;
    /** The background unpack of {@link #sources}, cancelled by a Re-fetch; null before the first. */
    private TaskHandle<Void> unpacking;
    /** The first composition of the session being shown, computed while it was opened; null once used. */
    private CoverageSnapshot firstSnapshot;
    /** The start view's editor from the first snapshot, until another snapshot's editors are installed. */
    private ReadyEditor readyEditor;
    private boolean computeAgain;
    private final LiveRuns liveRuns;
    // Live changes to the session shown, and how many of them its last save holds. FX thread.
    private long liveChanges;
    private long liveChangesSaved;
    // The snapshot each series card stands for, by series name, when the user picked one (else the latest).
    private final Map<String, Double> pickedSeconds = new HashMap<>();

    /**
     * Where module files are and where they were loaded, as the session shown was opened with; used for dumps added
     * later. FX thread.
     */
    private SessionLoading.ModuleInputs moduleInputs = SessionLoading.ModuleInputs.NONE;
    /** What {@link #show} was last given, to show a session again once runs brought it modules. FX thread. */
    private KernelSources shownTexts;
    private String shownTitle;

    public SessionController(MainViewModel model) {
        this(model, true);
    }

    /** {@code built}: false for a window still being built, whose end {@link #windowBuilt} reports. */
    SessionController(MainViewModel model, boolean built) {
        this.model = model;
        if (built) {
            windowBuilt.complete(null);
        }
        model.runs().setActions(this);
        model.series().setActions(this);
        model.heatProperty().addListener((obs, old, now) -> {
            if (snapshot != null) {
                showHeat(snapshot);
                installEditors(snapshot);
            }
        });
        model.composition().compositionProperty().addListener((obs, old, composition) -> {
            // Opening a session picks diff mode's default A and B: outside diff mode the same picture again.
            if (!composition.showsSameAs(old)) {
                recompute();
            }
        });
        liveRuns = new LiveRuns(model, this);
        model.setDemoRuns(new DemoVmViewModel.RunSink() {
            @Override
            public String freeLabel(String base) {
                return SessionController.this.freeLabel(base);
            }

            @Override
            public void add(Supplier<RunInput> run) {
                addRun(run);
            }
        });
    }

    /** {@code base}, or {@code base_2}, {@code base_3}… whichever no run of the session has. */
    public String freeLabel(String base) {
        return session == null ? base : session.freeLabel(base);
    }

    /** Freezes the live coverage so far into a normal run named {@code label}; the live run goes on. */
    public void freezeLive(String label) {
        liveRuns.freeze(label);
    }

    /** What the command line asked for: a session file, or a kernel image, plus runs and sources. */
    public void open(LaunchRequest request) {
        open(request, null);
    }

    /** The same, with the session file perhaps already being read (null: read it here). */
    public void open(LaunchRequest request, SessionReadAhead ahead) {
        String name = (request.session() != null ? request.session() : request.vmlinux()).getFileName().toString();
        Composition composition = model.composition().compositionProperty().get();
        String startFile = startFile(request);
        boolean heat = model.heatProperty().get();
        SessionLoading.ModuleInputs modules = new SessionLoading.ModuleInputs(request.modules(), request.layout());
        // The latest open only: one still reading when a later one was shown was shown over it when it finished.
        model.tasks().submitLatest(OPEN_TASK, "Opening " + name, progress -> {
            Session opened = request.session() != null
                    ? SessionLoading.fromSessionFile(request.session(), request.sourceRoot(), ahead, progress)
                    : SessionLoading.fromVmlinux(request.vmlinux(), request.sourceRoot(), progress);
            opened = SessionLoading.addRuns(opened, request.vmlinux(), request.runs(), modules, progress);
            KernelSources texts = SessionLoading.sourcesFor(opened, request.sourceRoot());
            // Computed here, while the window may still be getting built, instead of after it has shown the
            // session; used only if the cards and the composition then ask for exactly this.
            CoverageSnapshot first = composition.showsSameAs(Composition.ALL_VISIBLE)
                    ? CoverageSnapshot.compute(opened, everyCard(opened), composition, progress) : null;
            CachedSources cached = new CachedSources(texts);
            ReadyEditor startEditor = ReadyEditor.of(first, startFile, cached, heat);
            progress.checkCancelled(); // given up for a later open: nothing of this one is prepared
            return new Opened(opened, texts, cached, first, startEditor, prepareAhead(cached, startEditor));
        }, opened -> {
            moduleInputs = modules;
            firstSnapshot = opened.firstSnapshot();
            readyEditor = opened.startEditor();
            show(opened.session(), opened.sources(), opened.cached(), name, opened.preparing());
            if (request.session() != null) {
                model.noteOpened(request.session());
            }
        });
    }

    private record Opened(Session session, KernelSources sources, CachedSources cached, CoverageSnapshot firstSnapshot,
                          ReadyEditor startEditor, SourcesAhead preparing) {
    }

    /**
     * Prepares the sources of a session just read and then builds its start view's editor content, on a worker, once
     * the window is built (at once when it is): after the window opened, the two were a dependent chain of tasks
     * (preparing the sources, then hub.c's content, 0.10 s) between the session shown and the start view; now they run
     * while the FX thread shows the window and hands over the session and its composition. Not beside the window's
     * building: on two cores that made the window builder, the start's critical path, 36-86 ms slower (medians of 8
     * pairs), as much as the start view gained. Not in the opening task: preparing may fetch the source package
     * (minutes on a new user's first run), and the session's cards and tree do not wait for it. Its result reaches the
     * FX thread before or after the session's: {@link SourcesAhead} takes either order.
     */
    private SourcesAhead prepareAhead(CachedSources cached, ReadyEditor startEditor) {
        SourcesAhead preparing = new SourcesAhead(cached);
        windowBuilt.thenRun(() -> model.tasks().submit("Preparing kernel sources", progress -> {
            cached.prepare(progress);
            if (startEditor != null) {
                startEditor.build();
                startEditorBuilt.accept(startEditor.path());
            }
            return null;
        }, found -> {
            preparing.prepared = true;
            if (sources == cached) {
                sourcesPrepared(cached);
            }
        }));
        return preparing;
    }

    /**
     * Sources prepared by {@link #prepareAhead}. FX thread: {@code prepared} once the preparation's result came; a
     * session shown with these sources before that waits for it, one shown after goes on at once.
     */
    private static final class SourcesAhead {
        private final CachedSources sources;
        private boolean prepared;

        SourcesAhead(CachedSources sources) {
            this.sources = sources;
        }
    }

    /**
     * For tests: {@code built} runs on the worker that has just built a start view's editor content ahead, for each
     * session this controller opens from now on, with the file: whether it was built without the FX thread.
     */
    void whenStartEditorBuilt(Consumer<String> built) {
        startEditorBuilt = built;
    }

    /** The window is built: the work ahead of its start view may begin. */
    void windowBuilt() {
        windowBuilt.complete(null);
    }

    /** The file a start view opens in an editor, or null. */
    private static String startFile(LaunchRequest request) {
        StartView start = StartView.parse(request.view());
        return start.kind().equals("editor") ? start.argument() : null;
    }

    /**
     * The start view's editor content, built from the first composition as soon as the sources are prepared
     * ({@link #prepareAhead}), instead of once the start view asks for it (its source read, marks and hover text were
     * 0.17-0.34 s between the start view asked for and hub.c shown). Taken once, by the first load of that file with
     * that snapshot, these sources and this heat setting, and only with its text and no banner (a file missing or not
     * the kernel's is built by the editor as any other).
     */
    private record ReadyEditor(CoverageSnapshot snapshot, String path, CachedSources sources, boolean heat,
                               FutureTask<EditorContent> content, AtomicBoolean taken) {
        static ReadyEditor of(CoverageSnapshot snapshot, String path, CachedSources sources, boolean heat) {
            return snapshot == null || path == null ? null : new ReadyEditor(snapshot, path, sources, heat,
                    new FutureTask<>(() -> snapshot.editor(path, sources, heat, Progress.NONE)), new AtomicBoolean());
        }

        /** Builds the content here, unless it is being built or was built already. */
        void build() {
            content.run();
        }

        /** The content when it is what {@code shown} would build for {@code file} now, once; else null. */
        EditorContent take(CoverageSnapshot shown, CachedSources shownSources, boolean shownHeat, String file)
                throws InterruptedException {
            if (shown != snapshot || shownSources != sources || shownHeat != heat || !file.equals(path)
                    || !taken.compareAndSet(false, true)) {
                return null;
            }
            build();
            try {
                EditorContent ready = content.get();
                return ready.lineCount() == 0 || ready.banner() != null ? null : ready;
            } catch (ExecutionException e) {
                return null;
            }
        }
    }

    /** The runs the cards of a newly shown session stand for, all visible: each run, each series' latest snapshot. */
    private static List<SessionRun> everyCard(Session session) {
        List<SessionRun> runs = new ArrayList<>();
        Set<String> seriesSeen = new HashSet<>();
        for (SessionRun run : session.runs()) {
            if (run.seriesPoint() == null) {
                runs.add(run);
            } else if (seriesSeen.add(run.seriesPoint().series())) {
                session.series(run.seriesPoint().series()).ifPresent(series -> runs.add(series.latest()));
            }
        }
        return runs;
    }

    public void openSession(Path file) {
        open(new LaunchRequest(file, null, null, List.of(), null, null, false));
    }

    /** Shows a session (loaded here or built by a caller, e.g. a test); {@code title} names it in the title bar. */
    public void show(Session opened, KernelSources texts, String title) {
        show(opened, texts, new CachedSources(texts), title, null);
    }

    private void show(Session opened, KernelSources texts, CachedSources cached, String title, SourcesAhead preparing) {
        // Another session replaces the one shown: none of the live coverage counted so far is in it.
        liveChanges = 0;
        liveChangesSaved = 0;
        showAnew(opened, texts, cached, title, preparing);
    }

    /**
     * Shows {@code opened} with everything computed anew, keeping the count of live changes: when runs brought the
     * session shown its modules it is still that session, its live run carried over, as unsaved as it was.
     * {@code preparing}: its sources' preparation begun ahead, or null (prepared here).
     */
    private void showAnew(Session opened, KernelSources texts, CachedSources cached, String title,
                          SourcesAhead preparing) {
        session = opened;
        shownTexts = texts;
        shownTitle = title;
        pickedSeconds.clear();
        snapshot = null;
        model.editors().closeAll();
        model.setTitle("KCOV Explorer \u2014 " + title);
        model.setSessionOpen(true);
        refreshRuns();
        liveRuns.show(opened);
        if (preparing != null && preparing.sources == cached) {
            sources = cached;
            if (preparing.prepared) {
                sourcesPrepared(cached);
            }
        } else {
            useSources(cached);
        }
        recompute();
    }

    /**
     * Finds the sources, then the editors read their files on demand while the rest is unpacked in the
     * background; the editors are reloaded after each step, so a file that was still missing shows.
     */
    private void useSources(CachedSources texts) {
        sources = texts;
        model.tasks().submit("Preparing kernel sources", progress -> {
            texts.prepare(progress);
            return null;
        }, found -> sourcesPrepared(texts));
    }

    private void sourcesPrepared(CachedSources texts) {
        reloadEditors(texts);
        // Unwaited: the view a window opens at (the demo's hub.c) shows once the session has settled, its file
        // read on demand, not after the whole tarball was read (30-75 s on a new user's first run).
        unpacking = model.tasks().submitUnwaited("Unpacking kernel sources", progress -> {
            texts.unpackRest(progress);
            return null;
        }, unpacked -> reloadEditors(texts));
    }

    private void reloadEditors(CachedSources texts) {
        if (sources == texts && snapshot != null) {
            installEditors(snapshot);
        }
    }

    /**
     * "Re-fetch sources": drops the cached copies of the sources and fetches and unpacks them again. A running unpack
     * is cancelled: the drop waits for it to end (it holds the tree's lock), in the background like the drop itself.
     */
    public void refetchSources() {
        CachedSources texts = sources;
        if (unpacking != null) {
            unpacking.cancel();
        }
        model.tasks().submit("Dropping cached kernel sources", progress -> {
            texts.forgetCopies();
            return null;
        }, dropped -> useSources(texts));
    }

    /** "Choose source tree…": a directory, a kernel git checkout or a source tarball, checked like any sources. */
    public void chooseSources(Path tree) {
        Session target = session;
        if (target == null) {
            return;
        }
        model.tasks().submit("Reading " + tree.getFileName(), progress -> SessionLoading.sourcesFor(target, tree),
                chosen -> {
                    if (target == session) {
                        useSources(new CachedSources(chosen));
                    }
                });
    }

    /** The session shown, or null. */
    public Session session() {
        return session;
    }

    @Override
    public void addDumps(List<Path> files) {
        Session target = session;
        if (target == null) {
            return;
        }
        List<String> specs = files.stream().map(Path::toString).toList();
        SessionLoading.ModuleInputs modules = moduleInputs;
        model.tasks().submit("Adding " + files.size() + (files.size() == 1 ? " run" : " runs"),
                progress -> SessionLoading.addRuns(target, null, specs, modules, progress), result -> {
                    if (result == target) {
                        runsChanged(target);
                    } else if (target == session) {
                        // the runs brought modules: the index and its files changed, so everything is shown anew
                        showAnew(result, shownTexts, new CachedSources(shownTexts), shownTitle, null);
                    }
                });
    }

    /** Adds a frozen live run; a label already in use is refused with a warning, never replaced. */
    public void addRun(Supplier<RunInput> input) {
        Session target = session;
        if (target == null) {
            model.setWarning("open a session first: runs belong to a kernel's session");
            return;
        }
        model.tasks().submit("Adding a run", progress -> target.addRun(input.get()), run -> liveRunsChanged(target));
    }

    /** Saves the session shown, runs and all, to {@code file} (atomically: a half-written file never replaces it). */
    public void save(Path file) {
        save(file, () -> { });
    }

    /** Saves as {@link #save(Path)} does, then runs {@code whenSaved} (not when saving failed). */
    public void save(Path file, Runnable whenSaved) {
        save(file, () -> true, whenSaved);
    }

    /**
     * Saves as {@link #save(Path, Runnable)} does, the file put in place only when {@code commit} says yes once it is
     * complete (asked on the saving thread, and told there once the file is in place; a no ends the task with neither
     * callback nor failure). Returns the save's task, null when no session is shown.
     */
    TaskHandle<Path> save(Path file, AtomicFiles.Commit commit, Runnable whenSaved) {
        Session target = session;
        if (target == null) {
            return null;
        }
        long liveChangesTaken = liveChanges; // the runs are taken after this: at least these changes are in the file
        return model.tasks().submit("Saving " + file.getFileName(), progress -> {
            SessionFile.write(target, file, commit);
            return file;
        }, saved -> {
            model.noteOpened(saved);
            model.setTitle("KCOV Explorer \u2014 " + saved.getFileName());
            if (target == session) {
                liveChangesSaved = Math.max(liveChangesSaved, liveChangesTaken);
            }
            whenSaved.run();
        });
    }

    /** Whether the live runs of the session shown hold everything their collections received. */
    boolean liveRunsSettled() {
        return liveRuns.settled();
    }

    /** Whether live coverage changed the session shown (its live run, or runs frozen from it) since it was opened or saved. */
    public boolean hasUnsavedLiveRuns() {
        return liveChanges != liveChangesSaved;
    }

    /** The live run of {@code target} was written, or a run frozen from it was added. */
    void liveRunsChanged(Session target) {
        if (target == session) {
            liveChanges++;
        }
        runsChanged(target);
    }

    /** Runs of {@code target} were added or changed: the views follow if it is the session shown. */
    void runsChanged(Session target) {
        if (target == session) {
            refreshRuns();
            recompute();
        }
    }

    @Override
    public void rename(RunItem run, String newLabel) {
        SessionRun existing = session.runs().get(run.id());
        try {
            if (existing.seriesPoint() != null) {
                String name = existing.seriesPoint().series();
                session.renameSeries(name, newLabel);
                Double picked = pickedSeconds.remove(name);
                if (picked != null) {
                    pickedSeconds.put(newLabel, picked);
                }
            } else {
                session.renameRun(existing.label(), newLabel);
            }
        } catch (IllegalArgumentException refused) {
            model.setWarning(refused.getMessage());
        }
        refreshRuns();
    }

    @Override
    public void remove(RunItem run) {
        SessionRun existing = session.runs().get(run.id());
        if (existing.seriesPoint() != null) {
            session.removeSeries(existing.seriesPoint().series());
        } else {
            session.removeRun(existing.label());
        }
        refreshRuns();
        recompute();
    }

    @Override
    public void pick(RunItem series, int index) {
        SessionRun snapshot = session.runs().get(series.series().ids().get(index));
        pickedSeconds.put(snapshot.seriesPoint().series(), snapshot.seriesPoint().seconds());
        refreshRuns();
        recompute();
    }

    @Override
    public void pick(String seriesName, int index) {
        for (RunItem item : model.runs().runs()) {
            if (item.series() != null && item.label().equals(seriesName)) {
                model.runs().pick(item, index);
                return;
            }
        }
    }

    @Override
    public void showExpression(String expression) {
        model.composition().diffModeProperty().set(false);
        model.composition().expressionProperty().set(expression);
    }

    @Override
    public void diffSide(boolean baseline, String label) {
        (baseline ? model.composition().baselineProperty() : model.composition().currentProperty()).set(label);
        model.composition().diffModeProperty().set(true);
    }

    @Override
    public void showUnique(RunItem run) {
        List<String> others = new ArrayList<>();
        for (RunItem item : model.runs().runs()) {
            if (item.isVisible() && item != run) {
                others.add(item.runLabel());
            }
        }
        model.composition().diffModeProperty().set(false);
        model.composition().expressionProperty().set(UniqueCoverage.expression(run.runLabel(), others));
    }

    @Override
    public void visibilityChanged() {
        showSeries();
        recompute();
    }

    /** The chart's curves: the visible series, each with the snapshot its card stands for. */
    private void showSeries() {
        List<RunSeries> all = session.series();
        List<RunSeries> visible = new ArrayList<>();
        Map<String, Integer> picked = new HashMap<>();
        for (RunItem item : model.runs().runs()) {
            if (item.series() != null && item.isVisible()) {
                all.stream().filter(s -> s.name().equals(item.label())).findFirst().ifPresent(visible::add);
                picked.put(item.label(), item.series().picked());
            }
        }
        model.series().setSeries(session, visible, picked, !all.isEmpty());
    }

    /**
     * One card per run of its own and one per series (where its first snapshot is), standing for the snapshot
     * the user picked or the latest; the composition bar knows cards by their names, snapshots by their labels.
     */
    private void refreshRuns() {
        List<SessionRun> runs = session.runs();
        List<Boolean> hidden = new ArrayList<>();
        for (RunItem item : model.runs().runs()) {
            hidden.add(!item.isVisible());
        }
        Map<String, RunSeries> series = new HashMap<>();
        session.series().forEach(s -> series.put(s.name(), s));
        List<RunItem> items = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<String> modes = new ArrayList<>();
        List<String> snapshotLabels = new ArrayList<>();
        List<String> snapshotModes = new ArrayList<>();
        String warning = null;
        for (int i = 0; i < runs.size(); i++) {
            SessionRun run = runs.get(i);
            RunItem item;
            if (run.seriesPoint() != null) {
                snapshotLabels.add(run.label());
                snapshotModes.add(run.mode());
                RunSeries one = series.remove(run.seriesPoint().series());
                if (one == null) {
                    continue; // its card is made
                }
                item = seriesItem(one, runs);
            } else {
                item = runItem(i, run);
            }
            if (items.size() < hidden.size() && hidden.get(items.size())) {
                item.visibleProperty().set(false);
            }
            items.add(item);
            labels.add(item.label());
            modes.add(run.mode());
            // A comparison-mode run explains itself on its card; the status bar keeps real problems.
            if (warning == null && item.warning() != null && !"cmp".equals(run.mode())) {
                warning = item.label() + ": " + item.warning();
            }
        }
        model.runs().setRuns(items);
        Session current = session;
        labels.addAll(snapshotLabels);
        modes.addAll(snapshotModes);
        model.composition().setDiffNotes((a, b) -> SeriesEnds.note(current, a, b));
        model.composition().setRuns(labels, modes, text -> RunExpressions.check(current, text));
        showSeries();
        if (warning != null) {
            model.setWarning(warning);
        }
    }

    /**
     * Computes the composition off the FX thread. A change while one is computed waits for it and then
     * computes once more with the newest state, rather than cancelling it: live coverage changes the runs
     * several times a second, and cancelling would starve a composition slower than that.
     */
    private void recompute() {
        Session current = session;
        if (current == null) {
            return;
        }
        if (computing != null && !computing.isFinished() && !computing.isCancelled()) {
            computeAgain = true;
            return;
        }
        computeAgain = false;
        List<SessionRun> visible = new ArrayList<>();
        List<SessionRun> runs = current.runs();
        for (RunItem item : model.runs().runs()) {
            if (item.isVisible() && item.id() < runs.size()) {
                visible.add(runs.get(item.id()));
            }
        }
        Composition composition = model.composition().compositionProperty().get();
        CoverageSnapshot ready = firstSnapshot;
        firstSnapshot = null;
        computing = model.tasks().submit("Computing coverage", progress -> {
            if (ready != null && ready.isFor(current, visible, composition)) {
                // Ready at once: it reaches the FX thread a pulse after the cards of the session just shown,
                // whose layout would otherwise share a frame with the tree's and the table's.
                Pulses.awaitNext();
                return ready;
            }
            return CoverageSnapshot.compute(current, visible, composition, progress);
        }, computed -> {
                    apply(computed);
                    computeLaterChanges();
                }, error -> computeLaterChanges());
    }

    private void computeLaterChanges() {
        computing = null;
        if (computeAgain) {
            recompute();
        }
    }

    private void apply(CoverageSnapshot computed) {
        if (computed.session() != session) {
            return;
        }
        snapshot = computed;
        boolean diff = computed.isDiff();
        model.project().setFigures(computed.files(), computed.directories(), diff);
        model.setFigures(computed.figures());
        model.runs().setUnique(computed.uniquePoints());
        showHeat(computed);
        installEditors(computed);
        // 50,000 kernel functions re-sort and re-filter in the table: a separate event from the rest.
        model.tasks().defer("Updating functions", () -> {
            if (snapshot == computed) {
                model.functions().setFunctions(computed.functions(), diff, !computed.session().modules().isEmpty());
            }
        });
        model.comparisons().setSource(computed.comparisons());
    }

    /** The tree's rows shaded by heat (k of N runs) while heat is on, by coverage otherwise. */
    private void showHeat(CoverageSnapshot computed) {
        model.project().setHeatOf(model.heatProperty().get() && !computed.isDiff() ? computed.heatOf() : 0);
    }

    private void installEditors(CoverageSnapshot computed) {
        CachedSources texts = sources;
        boolean heat = model.heatProperty().get();
        // Kept while this snapshot's editors are installed again (sources prepared, unpacked): it is taken once.
        ReadyEditor ready = readyEditor != null && readyEditor.snapshot() == computed ? readyEditor : null;
        readyEditor = ready;
        model.editors().setLoader((path, progress) -> {
            EditorContent content = ready == null ? null : ready.take(computed, texts, heat, path);
            if (content == null) {
                return computed.editor(path, texts, heat, progress);
            }
            // Ready at once: it reaches the FX thread a pulse after the start view's new tab, whose first layout it
            // would otherwise share (together 97-108 ms of FX CPU in 3 of 16 starts; the tab alone 15-25 ms).
            Pulses.awaitNext();
            return content;
        });
        model.editors().setLocator(texts::locate);
    }

    /** A series' card: the picked snapshot's figures under the series' name, with the snapshots to pick from. */
    private RunItem seriesItem(RunSeries series, List<SessionRun> runs) {
        int picked = series.size() - 1;
        Double seconds = pickedSeconds.get(series.name());
        for (int i = 0; seconds != null && i < series.size(); i++) {
            if (series.seconds(i) == seconds) {
                picked = i;
            }
        }
        List<Integer> ids = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            ids.add(runs.indexOf(series.snapshot(i)));
            labels.add(series.snapshot(i).label());
            times.add(series.seconds(i));
        }
        RunItem snapshot = runItem(ids.get(picked), series.snapshot(picked));
        String span = "series \u00B7 " + series.size() + (series.size() == 1 ? " snapshot" : " snapshots") + " over "
                + SeriesPoint.formatSeconds(series.seconds(series.size() - 1)) + " s";
        // A cut campaign's card says so first: its curve and latest snapshot stop where the kernel or the bus did.
        String warning = series.cut() == null ? snapshot.warning()
                : series.cut().text() + (snapshot.warning() == null ? "" : "; " + snapshot.warning());
        return new RunItem(snapshot.id(), series.name(), snapshot.colour(), snapshot.source(),
                span + " \u00B7 " + snapshot.details(), snapshot.attribution(), warning,
                new RunItem.Series(ids, labels, times, picked));
    }

    private static RunItem runItem(int id, SessionRun run) {
        AttributionFigures f = run.figures();
        String source = run.remoteSource() != null ? run.remoteSource()
                : run.sourceFile() != null ? "from " + run.sourceFile() : "remote source unknown";
        String details = run.mode() + " \u00B7 " + Figures.count(run.entries()) + " entries \u00B7 "
                + Figures.count(run.uniquePcCount()) + " unique PCs";
        String attribution = String.format(Locale.ROOT, "%s resolved \u00B7 %s tail-call attributed \u00B7 %s unresolved",
                Figures.percent(f.matched() + f.attributedExact() + f.attributedCandidates(), f.uniquePcs()),
                Figures.count(f.attributedExact() + f.attributedCandidates()), Figures.count(f.unresolved()));
        ComparisonCoverage cmp = run.comparisons();
        if (cmp != null) {
            // A CMP run is told by its records and the comparison sites they reached, not by coverage points.
            long records = cmp.summary().totalRecords();
            details = "cmp \u00B7 " + Figures.count(records) + " records \u00B7 " + Figures.count(run.uniquePcCount())
                    + " ips";
            attribution = String.format(Locale.ROOT, "%s of records on comparison sites \u00B7 %s of %s sites reached",
                    Figures.percent(records - cmp.unresolvedRecords(), records), Figures.count(cmp.reachedCount()),
                    Figures.count(cmp.siteCount()));
        }
        String warning = run.warning();
        if (warning == null && run.overflow()) {
            warning = "the kcov area overflowed: coverage after the last entry was dropped by the kernel";
        }
        return new RunItem(id, run.label(), run.colour(), source, details, attribution, warning);
    }
}
