package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.kcov.Printable;
import dev.kcovexplorer.app.demo.DemoVm;
import dev.kcovexplorer.app.demo.DemoVmOptions;
import dev.kcovexplorer.app.live.LiveCollector;
import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.app.ui.comparisons.ComparisonsViewModel;
import dev.kcovexplorer.app.ui.compose.CompositionViewModel;
import dev.kcovexplorer.app.ui.editor.EditorsViewModel;
import dev.kcovexplorer.app.ui.functions.FunctionRow;
import dev.kcovexplorer.app.ui.functions.FunctionsViewModel;
import dev.kcovexplorer.app.ui.demo.DemoVmViewModel;
import dev.kcovexplorer.app.ui.live.LiveViewModel;
import dev.kcovexplorer.app.ui.live.SharedSession;
import dev.kcovexplorer.app.ui.runs.RunsViewModel;
import dev.kcovexplorer.app.ui.series.ChartScope;
import dev.kcovexplorer.app.ui.series.SeriesChartViewModel;
import dev.kcovexplorer.app.ui.settings.SettingsSaver;
import dev.kcovexplorer.app.ui.settings.SettingsStore;
import dev.kcovexplorer.app.ui.settings.UiSettings;
import dev.kcovexplorer.app.ui.task.BackgroundTasks;
import dev.kcovexplorer.app.ui.tree.ProjectTreeViewModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The window's root view model: owns the tool-window view models, the background tasks, the settings,
 * and the commands of the menus and shortcuts.
 */
public final class MainViewModel implements AutoCloseable {
    private final BackgroundTasks tasks;
    private final SettingsSaver settingsSaver;
    private final RunsViewModel runs = new RunsViewModel();
    private final ProjectTreeViewModel project;
    private final EditorsViewModel editors;
    private final FunctionsViewModel functions;
    private final ComparisonsViewModel comparisons;
    private final CompositionViewModel composition = new CompositionViewModel();
    private final LiveCollector liveCollector = new LiveCollector();
    private final LiveViewModel live;
    private final List<SharedSession> demoLive;
    private final SeriesChartViewModel series;
    private final BooleanProperty heat = new SimpleBooleanProperty(this, "heat", false);
    private final DemoVmViewModel demo;
    private DemoVmViewModel.RunSink demoRuns;
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "KCOV Explorer");
    private final ReadOnlyStringWrapper figures = new ReadOnlyStringWrapper(this, "figures", "");
    private final ReadOnlyStringWrapper warning = new ReadOnlyStringWrapper(this, "warning", "");
    private final ReadOnlyStringWrapper liveStatus = new ReadOnlyStringWrapper(this, "liveStatus", "");
    private final ReadOnlyBooleanWrapper sessionOpen = new ReadOnlyBooleanWrapper(this, "sessionOpen");
    private final ReadOnlyStringWrapper theme = new ReadOnlyStringWrapper(this, "theme", "light");
    private final ObservableList<String> recentSessions = FXCollections.observableArrayList();
    private UiSettings settings;

    public MainViewModel(BackgroundTasks tasks, SettingsStore settingsStore) {
        this(tasks, settingsStore, DemoVm.withCacheDirectories(DemoVmOptions.defaults(DemoVmOptions.thisRepository())));
    }

    /** With the Demo VM tool window on {@code demoVm} (its kernel chosen on the command line, or a test's). */
    public MainViewModel(BackgroundTasks tasks, SettingsStore settingsStore, DemoVm demoVm) {
        this.tasks = tasks;
        this.settingsSaver = new SettingsSaver(settingsStore, tasks, warning::set);
        this.project = new ProjectTreeViewModel(tasks);
        this.editors = new EditorsViewModel(tasks);
        this.functions = new FunctionsViewModel(tasks);
        this.comparisons = new ComparisonsViewModel(tasks);
        this.live = new LiveViewModel(liveCollector, tasks.uiThread());
        this.series = new SeriesChartViewModel(tasks);
        // The chart counts what was selected last: a directory or file of the tree, or a function.
        project.selectedProperty().addListener((obs, old, node) -> {
            if (node != null) {
                series.setScope(ChartScope.path(node.path()));
            }
        });
        functions.selectedProperty().addListener((obs, old, row) -> {
            if (row != null) {
                series.setScope(ChartScope.function(row.name(), row.path()));
            }
        });
        this.demo = new DemoVmViewModel(demoVm, tasks.uiThread(), new DemoVmViewModel.RunSink() {
            @Override
            public String freeLabel(String base) {
                return demoRuns == null ? base : demoRuns.freeLabel(base);
            }

            @Override
            public void add(Supplier<RunInput> run) {
                if (demoRuns != null) {
                    demoRuns.add(run);
                }
            }
        }, Map.of());
        // The Live window shows the Demo VM's two sessions on their own connections: observed, never a third.
        this.demoLive = List.of(
                new SharedSession(LiveRuns.USB_LABEL, new LiveViewModel(demoVm.usbCollector(), tasks.uiThread())),
                new SharedSession(LiveRuns.VHOST_LABEL, new LiveViewModel(demoVm.vhostCollector(), tasks.uiThread())));
        this.settings = settingsStore.load();
        theme.set(settings.theme());
        recentSessions.setAll(settings.recentSessions());
        project.setOpener(path -> editors.open(path));
        functions.setNavigator(editors::open);
        comparisons.setNavigator(editors::open);
        // The view reveals the selected editor's file in the tree (in a pulse of its own).
        editors.selectedProperty().addListener((obs, old, editor) ->
                comparisons.setOpenFile(editor == null ? null : editor.path()));
        // Every failure, one worded as the one before too: the line may say something else meanwhile.
        tasks.failuresProperty().addListener((obs, old, count) -> warning.set(tasks.lastFailureProperty().get()));
    }

    public BackgroundTasks tasks() {
        return tasks;
    }

    public RunsViewModel runs() {
        return runs;
    }

    public ProjectTreeViewModel project() {
        return project;
    }

    public EditorsViewModel editors() {
        return editors;
    }

    public FunctionsViewModel functions() {
        return functions;
    }

    /** The Comparisons tool window: the comparison sites of the TRACE_CMP runs shown. */
    public ComparisonsViewModel comparisons() {
        return comparisons;
    }

    /** The Coverage over Time tool window. */
    public SeriesChartViewModel series() {
        return series;
    }

    /**
     * Heat: lines and tree rows shaded by how many of the composition's runs hit them, the count in the gutter,
     * instead of their coverage states.
     */
    public BooleanProperty heatProperty() {
        return heat;
    }

    public CompositionViewModel composition() {
        return composition;
    }

    /** The Demo VM's live sessions as the Live window shows them (the Demo VM owns and closes them). */
    public List<SharedSession> demoLiveSessions() {
        return demoLive;
    }

    public LiveViewModel live() {
        return live;
    }

    /** The Demo VM tool window: the demo kernel under QEMU, plugged devices, vhost traffic. */
    public DemoVmViewModel demo() {
        return demo;
    }

    /** Where the Demo VM's frozen runs go: the session controller's session. */
    void setDemoRuns(DemoVmViewModel.RunSink runs) {
        this.demoRuns = runs;
    }

    /** The live collection behind {@link #live()}, for the session's live run. */
    LiveCollector liveCollector() {
        return liveCollector;
    }

    /** "KCOV Explorer — demo.kcovx". */
    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    /** Attribution and coverage figures for the status bar. */
    public ReadOnlyStringProperty figuresProperty() {
        return figures.getReadOnlyProperty();
    }

    /** The newest warning ("these PCs do not belong to this vmlinux"), "" when none. */
    public ReadOnlyStringProperty warningProperty() {
        return warning.getReadOnlyProperty();
    }

    /** "Updating the live run…" while the live run is being written, then when it last was; "" before. */
    public ReadOnlyStringProperty liveStatusProperty() {
        return liveStatus.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty sessionOpenProperty() {
        return sessionOpen.getReadOnlyProperty();
    }

    /** "light" or "dark". */
    public ReadOnlyStringProperty themeProperty() {
        return theme.getReadOnlyProperty();
    }

    public ObservableList<String> recentSessions() {
        return recentSessions;
    }

    public UiSettings settings() {
        return settings;
    }

    public void toggleTheme() {
        setTheme("dark".equals(theme.get()) ? "light" : "dark");
    }

    public void setTheme(String name) {
        settings = settings.withTheme(name);
        theme.set(settings.theme());
        saveSettings();
    }

    /** The view reports the window geometry and splitter positions before closing. */
    public void rememberLayout(double x, double y, double width, double height, boolean maximized,
                               double left, double runsSplit, double bottom) {
        settings = settings.withLayout(x, y, width, height, maximized, left, runsSplit, bottom);
        saveSettings();
    }

    public void dismissWarning() {
        warning.set("");
    }

    /** Ctrl+Shift+N: files whose path contains every space-separated word of {@code query}, best first. */
    public List<String> matchFiles(String query, int limit) {
        return rank(project.allFiles(), query, limit, path -> path);
    }

    /** Ctrl+Alt+Shift+N: functions whose name contains every word of {@code query}, best first. */
    public List<FunctionRow> matchFunctions(String query, int limit) {
        return rank(functions.all(), query, limit, FunctionRow::name);
    }

    public void goToFunction(FunctionRow row) {
        functions.open(row);
    }

    void noteOpened(Path sessionFile) {
        settings = settings.withRecent(sessionFile.toAbsolutePath().toString());
        recentSessions.setAll(settings.recentSessions());
        saveSettings();
    }

    /** The title bar: a session's file name is the user's, control characters and all; shown escaped. */
    void setTitle(String text) {
        title.set(Printable.of(text));
    }

    void setFigures(String text) {
        figures.set(text);
    }

    /** The warning line: it quotes labels and files, shown with control characters escaped. */
    void setWarning(String text) {
        warning.set(text == null ? "" : Printable.of(text));
    }

    void setLiveStatus(String text) {
        liveStatus.set(text);
    }

    void setSessionOpen(boolean open) {
        sessionOpen.set(open);
    }

    /**
     * Powers the demo VM off, ends the live connection and the background work: the window is closing. The
     * settings' last change (the layout, reported as the window hid) is written first: stopping the background
     * work could drop its write.
     */
    @Override
    public void close() {
        try {
            settingsSaver.flush();
        } catch (IOException e) {
            warning.set(settingsSaver.describe(e));
        }
        demo.close();
        live.close();
        tasks.close();
    }

    /** Off the UI thread: the window never waits on the disk for a theme switch or a splitter drag. */
    private void saveSettings() {
        settingsSaver.save(settings);
    }

    /**
     * Ranks by where the match is: the last path segment (or name) starting with the query first, then
     * containing it, then anywhere; shorter names first within a group.
     */
    private static <T> List<T> rank(List<T> items, String query, int limit, java.util.function.Function<T, String> key) {
        String[] words = query == null ? new String[0] : query.trim().toLowerCase(Locale.ROOT).split("\\s+");
        List<T> hits = new ArrayList<>();
        outer:
        for (T item : items) {
            String text = key.apply(item).toLowerCase(Locale.ROOT);
            for (String word : words) {
                if (!word.isEmpty() && !text.contains(word)) {
                    continue outer;
                }
            }
            hits.add(item);
        }
        String first = words.length == 0 ? "" : words[0];
        Comparator<T> order = Comparator.comparingInt((T item) -> {
            String text = key.apply(item).toLowerCase(Locale.ROOT);
            String last = text.substring(text.lastIndexOf('/') + 1);
            return last.startsWith(first) ? 0 : last.contains(first) ? 1 : 2;
        }).thenComparingInt(item -> key.apply(item).length()).thenComparing(key::apply);
        hits.sort(order);
        return hits.size() > limit ? List.copyOf(hits.subList(0, limit)) : hits;
    }
}
