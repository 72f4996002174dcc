package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.live.LiveState;
import dev.kcovexplorer.app.ui.comparisons.ComparisonsView;
import dev.kcovexplorer.app.ui.compose.CompositionView;
import dev.kcovexplorer.app.ui.demo.DemoVmView;
import dev.kcovexplorer.app.ui.editor.EditorView;
import dev.kcovexplorer.app.ui.editor.EditorViewModel;
import dev.kcovexplorer.app.ui.functions.FunctionRow;
import dev.kcovexplorer.app.ui.functions.FunctionsView;
import dev.kcovexplorer.app.ui.live.LiveView;
import dev.kcovexplorer.app.ui.runs.RunsView;
import dev.kcovexplorer.app.ui.series.SeriesChartView;
import dev.kcovexplorer.app.ui.task.AfterPulses;
import dev.kcovexplorer.app.ui.tree.ProjectTreeView;
import java.io.File;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Orientation;
import javafx.scene.control.Button;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextInputDialog;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/**
 * The main window, code-only: menu and composition bar on top, Runs and Project on the left, editors
 * in the centre with Functions, Comparisons, Live and Demo VM below, the status bar at the bottom. Every action calls a view-model command.
 */
public final class MainView extends BorderPane {
    private final MainViewModel model;
    private final SessionController sessions;
    private final TabPane tabs = new TabPane();
    private final Map<EditorViewModel, Tab> tabByEditor = new HashMap<>();
    private final SplitPane horizontal = new SplitPane();
    private final SplitPane left = new SplitPane();
    private final SplitPane right = new SplitPane();
    private final ProjectTreeView projectView;
    private final FunctionsView functionsView;
    private final RunsView runsView;
    private final CompositionView compositionView;
    private final TabPane bottomTabs = new TabPane();
    private final ToolTab<ComparisonsView> comparisonsTab;
    private final ToolTab<SeriesChartView> seriesTab;
    private final ToolTab<LiveView> liveTab;
    private final ToolTab<DemoVmView> demoTab;
    /** Made at the first Go to: 25-28 ms of the window builder's wall time at load 7 (a popup window, its list). */
    private final Lazy<GoToPopup<String>> goToFile;
    private final Lazy<GoToPopup<FunctionRow>> goToFunction;
    private final MenuBar menuBar;

    public MainView(MainViewModel model, SessionController sessions) {
        this.model = model;
        this.sessions = sessions;
        getStyleClass().add("main-view");

        runsView = new RunsView(model.runs());
        projectView = new ProjectTreeView(model.project());
        functionsView = new FunctionsView(model.functions());
        compositionView = new CompositionView(model.composition());

        menuBar = menuBar();
        ToolWindow runsWindow = new ToolWindow("Runs", runsView);
        runsWindow.subtitle().textProperty().bind(Bindings.size(model.runs().runs()).asString().concat(" loaded"));
        ToolWindow projectWindow = new ToolWindow("Project", projectView);
        // The bottom tool windows share one place, as tabs: Functions in front, the others made when first chosen.
        Tab functionsTab = new Tab("Functions", functionsView);
        functionsTab.textProperty().bind(model.functions().totalProperty().asString("Functions (%,d)"));
        comparisonsTab = new ToolTab<>("Comparisons", () -> new ComparisonsView(model.comparisons()));
        comparisonsTab.tab().selectedProperty().addListener((obs, old, selected) -> model.comparisons().setShown(selected));
        seriesTab = new ToolTab<>("Coverage over Time", () -> new SeriesChartView(model.series()));
        liveTab = new ToolTab<>("Live", () -> new LiveView(model.live(), model.demoLiveSessions(),
                model.sessionOpenProperty(), sessions::freeLabel, sessions::freezeLive, this::chooseSaveTarget));
        demoTab = new ToolTab<>("Demo VM", () -> new DemoVmView(model.demo()));
        demoTab.tab().textProperty().bind(Bindings.createStringBinding(
                () -> "Demo VM \u00B7 " + model.demo().stateProperty().get().label().replaceFirst(":.*", ""),
                model.demo().stateProperty()));
        liveTab.tab().textProperty().bind(Bindings.createStringBinding(this::liveTabTitle, model.live().stateProperty(),
                model.demoLiveSessions().get(0).model().stateProperty(),
                model.demoLiveSessions().get(1).model().stateProperty()));
        functionsTab.selectedProperty().addListener((obs, old, selected) -> model.functions().setShown(selected));
        bottomTabs.getTabs().addAll(functionsTab, comparisonsTab.tab(), seriesTab.tab(), liveTab.tab(), demoTab.tab());
        // A session with a run series opens on its curves: campaigns are what it is about.
        model.series().hasSeriesProperty().addListener((obs, old, has) -> {
            if (has) {
                showSeriesChart();
            }
        });
        bottomTabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        bottomTabs.getStyleClass().add("tool-tabs");

        left.setOrientation(Orientation.VERTICAL);
        left.getItems().addAll(runsWindow, projectWindow);
        right.setOrientation(Orientation.VERTICAL);
        right.getItems().addAll(editorArea(), bottomTabs);
        horizontal.getItems().addAll(left, right);
        SplitPane.setResizableWithParent(left, false);
        applyDividers();

        setTop(new VBox(menuBar, compositionView));
        setCenter(horizontal);
        setBottom(new StatusView(model).node());

        goToFile = new Lazy<>(() -> new GoToPopup<>("Go to file", q -> model.matchFiles(q, 200),
                path -> fileName(path), path -> path, path -> model.editors().open(path)));
        goToFunction = new Lazy<>(() -> new GoToPopup<>("Go to function", q -> model.matchFunctions(q, 200),
                FunctionRow::name, FunctionRow::path, model::goToFunction));
    }

    /** Installs the keyboard shortcuts on the scene (call once the view is in one). */
    public void installShortcuts() {
        Map<KeyCombination, Runnable> keys = new HashMap<>();
        keys.put(new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN), this::chooseSession);
        keys.put(new KeyCodeCombination(KeyCode.N, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN),
                () -> goToFile.get().show(window()));
        keys.put(new KeyCodeCombination(KeyCode.N, KeyCombination.SHORTCUT_DOWN, KeyCombination.ALT_DOWN,
                KeyCombination.SHIFT_DOWN), () -> goToFunction.get().show(window()));
        keys.put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), () -> withEditorView(EditorView::showFindBar));
        keys.put(new KeyCodeCombination(KeyCode.G, KeyCombination.SHORTCUT_DOWN), this::askLine);
        keys.put(new KeyCodeCombination(KeyCode.F2), () -> withEditor(EditorViewModel::nextAttentionLine));
        keys.put(new KeyCodeCombination(KeyCode.F2, KeyCombination.SHIFT_DOWN),
                () -> withEditor(EditorViewModel::previousAttentionLine));
        keys.put(new KeyCodeCombination(KeyCode.TAB, KeyCombination.CONTROL_DOWN), () -> model.editors().cycle(1));
        keys.put(new KeyCodeCombination(KeyCode.TAB, KeyCombination.CONTROL_DOWN, KeyCombination.SHIFT_DOWN),
                () -> model.editors().cycle(-1));
        // Closing the window is quitting: the same question first when live runs are not saved.
        window().setOnCloseRequest(e -> {
            if (sessions.hasUnsavedLiveRuns()) {
                e.consume();
                quit();
            }
        });
        // An event filter, not accelerators: Ctrl+Tab must win over TabPane's and the focused control's handling.
        getScene().addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            for (Map.Entry<KeyCombination, Runnable> entry : keys.entrySet()) {
                if (entry.getKey().match(e)) {
                    entry.getValue().run();
                    e.consume();
                    return;
                }
            }
        });
    }

    /** The menu bar, first in the top box: its skin asks the FX thread whether the desktop has a global menu bar. */
    public MenuBar menuBarNode() {
        return menuBar;
    }

    public TabPane tabs() {
        return tabs;
    }

    public ProjectTreeView projectView() {
        return projectView;
    }

    public FunctionsView functionsView() {
        return functionsView;
    }

    /** The Comparisons tool window's view, made now if it was not yet. */
    public ComparisonsView comparisonsView() {
        return comparisonsTab.view();
    }

    /** Brings the Comparisons tool window to the front. */
    public void showComparisons() {
        bottomTabs.getSelectionModel().select(comparisonsTab.tab());
    }

    public RunsView runsView() {
        return runsView;
    }

    public CompositionView compositionView() {
        return compositionView;
    }

    /** "Live · collecting"; the Demo VM's sessions' state while only they are connected. */
    private String liveTabTitle() {
        LiveState own = model.live().stateProperty().get();
        if (own == LiveState.DISCONNECTED) {
            // Either Demo VM session may be the one connected: the title listens to both.
            for (var session : model.demoLiveSessions()) {
                LiveState demo = session.model().stateProperty().get();
                if (demo != LiveState.DISCONNECTED) {
                    return "Live \u00B7 Demo VM " + demo.label();
                }
            }
        }
        return "Live \u00B7 " + own.label();
    }

    /** The Live tool window's view, made now if it was not yet. */
    public LiveView liveView() {
        return liveTab.view();
    }

    /** The Coverage over Time tool window's view, made now if it was not yet. */
    public SeriesChartView seriesView() {
        return seriesTab.view();
    }

    /** Where the tool windows made when first chosen are made and put in: see {@link ToolTab#makeInGapsOf}. */
    void makeToolWindowsInGapsOf(Executor gaps) {
        for (ToolTab<?> tool : List.of(comparisonsTab, seriesTab, liveTab, demoTab)) {
            tool.makeInGapsOf(gaps);
        }
    }

    /** Brings the Coverage over Time tool window to the front. */
    public void showSeriesChart() {
        bottomTabs.getSelectionModel().select(seriesTab.tab());
    }

    /** The Live tool window's tab, whose title says how its sessions stand. */
    public Tab liveTab() {
        return liveTab.tab();
    }

    /** Brings the Live tool window to the front. */
    public void showLive() {
        bottomTabs.getSelectionModel().select(liveTab.tab());
    }

    /** The Demo VM tool window's view, made now if it was not yet. */
    public DemoVmView demoView() {
        return demoTab.view();
    }

    /** Brings the Demo VM tool window to the front. */
    public void showDemo() {
        bottomTabs.getSelectionModel().select(demoTab.tab());
    }

    /** The editor view of the selected tab, or null. */
    public EditorView selectedEditorView() {
        Tab tab = tabs.getSelectionModel().getSelectedItem();
        return tab == null ? null : (EditorView) tab.getContent();
    }

    /** Splitter positions for the settings: left, runs/project, editor/functions. */
    public double[] dividerPositions() {
        return new double[] {
            horizontal.getDividerPositions()[0], left.getDividerPositions()[0], right.getDividerPositions()[0],
        };
    }

    private void applyDividers() {
        horizontal.setDividerPositions(model.settings().leftDivider());
        left.setDividerPositions(model.settings().runsDivider());
        right.setDividerPositions(model.settings().bottomDivider());
    }

    private StackPane editorArea() {
        tabs.getStyleClass().add("editor-tabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.ALL_TABS);
        model.editors().editors().addListener((ListChangeListener<EditorViewModel>) change -> syncTabs());
        model.editors().selectedProperty().addListener((obs, old, editor) -> {
            Tab tab = tabByEditor.get(editor);
            if (tab != null) {
                tabs.getSelectionModel().select(tab);
            }
            // In a pulse after the editor's: expanding the tree down to a file and laying out a new editor are
            // each 20-40 ms of the FX thread the first time, too much for one frame together.
            if (editor != null) {
                AfterPulses.afterNext(() -> {
                    if (model.editors().selected() == editor) {
                        model.project().reveal(editor.path());
                    }
                });
            }
        });
        tabs.getSelectionModel().selectedItemProperty().addListener((obs, old, tab) -> {
            if (tab != null) {
                model.editors().select(((EditorView) tab.getContent()).model());
            }
        });
        VBox empty = emptyState();
        empty.visibleProperty().bind(Bindings.isEmpty(tabs.getTabs()));
        return new StackPane(tabs, empty);
    }

    private void syncTabs() {
        List<EditorViewModel> open = model.editors().editors();
        tabByEditor.keySet().removeIf(editor -> {
            if (!open.contains(editor)) {
                tabs.getTabs().remove(tabByEditor.get(editor));
                return true;
            }
            return false;
        });
        for (EditorViewModel editor : open) {
            if (!tabByEditor.containsKey(editor)) {
                Tab tab = new Tab(editor.title(), new EditorView(editor, () -> chooseLocation(editor)));
                tab.setTooltip(new javafx.scene.control.Tooltip(editor.path()));
                tab.setOnClosed(e -> model.editors().close(editor));
                tabByEditor.put(editor, tab);
                tabs.getTabs().add(tab);
            }
        }
        Tab selected = tabByEditor.get(model.editors().selected());
        if (selected != null) {
            tabs.getSelectionModel().select(selected);
        }
    }

    private VBox emptyState() {
        Label title = new Label("KCOV Explorer");
        title.getStyleClass().add("empty-state-title");
        Label hint = new Label();
        hint.getStyleClass().add("empty-state-text");
        hint.textProperty().bind(Bindings.when(model.sessionOpenProperty())
                .then("Open a file from the Project tree (Enter), Ctrl+Shift+N to go to a file, "
                        + "Ctrl+Alt+Shift+N to go to a function")
                .otherwise("Open a session (Ctrl+O), or start from a kernel: kcov-explorer open --vmlinux FILE RUN\u2026"));
        Button open = new Button("Open\u2026");
        open.setDefaultButton(true);
        open.setOnAction(e -> chooseSession());
        open.visibleProperty().bind(model.sessionOpenProperty().not());
        VBox recent = new VBox(2);
        recent.setAlignment(javafx.geometry.Pos.CENTER);
        Consumer<List<? extends String>> fill = paths -> {
            recent.getChildren().clear();
            for (String path : paths.subList(0, Math.min(5, paths.size()))) {
                Hyperlink link = new Hyperlink(path);
                link.setOnAction(e -> openSession(Path.of(path)));
                recent.getChildren().add(link);
            }
        };
        model.recentSessions().addListener((ListChangeListener<String>) c -> fill.accept(c.getList()));
        fill.accept(model.recentSessions());
        recent.visibleProperty().bind(model.sessionOpenProperty().not());
        VBox box = new VBox(12, title, hint, open, recent);
        box.getStyleClass().add("empty-state");
        return box;
    }

    private MenuBar menuBar() {
        MenuItem open = item("Open Session\u2026", "Shortcut+O", this::chooseSession);
        Menu recent = new Menu("Open Recent");
        Consumer<List<? extends String>> fill = paths -> {
            recent.getItems().clear();
            for (String path : paths) {
                recent.getItems().add(item(path, null, () -> openSession(Path.of(path))));
            }
            recent.setDisable(paths.isEmpty());
        };
        model.recentSessions().addListener((ListChangeListener<String>) c -> fill.accept(c.getList()));
        fill.accept(model.recentSessions());
        MenuItem addRuns = item("Add Runs\u2026", null, this::chooseDumps);
        addRuns.disableProperty().bind(model.sessionOpenProperty().not());
        MenuItem save = item("Save Session As\u2026", null, this::chooseSaveTarget);
        save.disableProperty().bind(model.sessionOpenProperty().not());
        MenuItem chooseSources = item("Choose Source Tree\u2026", null, this::chooseSourceTree);
        chooseSources.disableProperty().bind(model.sessionOpenProperty().not());
        MenuItem chooseTarball = item("Choose Source Tarball\u2026", null, this::chooseSourceTarball);
        chooseTarball.disableProperty().bind(model.sessionOpenProperty().not());
        MenuItem refetch = item("Re-fetch Sources", null, sessions::refetchSources);
        refetch.disableProperty().bind(model.sessionOpenProperty().not());
        MenuItem quit = item("Quit", "Shortcut+Q", this::quit);
        Menu file = new Menu("File", null, open, recent, addRuns, save, new SeparatorMenuItem(), chooseSources, chooseTarball,
                refetch,
                new SeparatorMenuItem(), quit);

        Menu navigate = new Menu("Navigate", null,
                item("Go to File\u2026", "Shortcut+Shift+N", () -> goToFile.get().show(window())),
                item("Go to Function\u2026", "Shortcut+Alt+Shift+N", () -> goToFunction.get().show(window())),
                item("Go to Line\u2026", "Shortcut+G", this::askLine),
                item("Find in File\u2026", "Shortcut+F", () -> withEditorView(EditorView::showFindBar)),
                new SeparatorMenuItem(),
                item("Next Uncovered Line", "F2", () -> withEditor(EditorViewModel::nextAttentionLine)),
                item("Previous Uncovered Line", "Shift+F2", () -> withEditor(EditorViewModel::previousAttentionLine)),
                item("Next Editor", "Ctrl+Tab", () -> model.editors().cycle(1)));
        // Menu accelerators would fire twice with the scene filter; the filter owns the keys, menus show them.
        navigate.getItems().forEach(i -> i.setAccelerator(null));
        open.setAccelerator(null);

        MenuItem theme = item("Toggle Light/Dark Theme", null, model::toggleTheme);
        MenuItem hide = item("Hide Files Without Coverage", null,
                () -> model.project().hideUncoveredProperty().set(!model.project().hideUncoveredProperty().get()));
        MenuItem diff = item("Diff Mode", null,
                () -> model.composition().diffModeProperty().set(!model.composition().diffModeProperty().get()));
        CheckMenuItem heat = new CheckMenuItem("Heat: Lines by Runs That Hit Them");
        heat.selectedProperty().bindBidirectional(model.heatProperty());
        MenuItem live = item("Live Tool Window", null, this::showLive);
        MenuItem comparisons = item("Comparisons Tool Window", null, this::showComparisons);
        MenuItem series = item("Coverage over Time Tool Window", null, this::showSeriesChart);
        MenuItem demo = item("Demo VM Tool Window", null, this::showDemo);
        Menu view = new Menu("View", null, theme, hide, diff, heat, new SeparatorMenuItem(), comparisons, series, live,
                demo);
        MenuBar bar = new MenuBar(file, navigate, view);
        bar.setUseSystemMenuBar(true);
        return bar;
    }

    private static MenuItem item(String text, String keys, Runnable action) {
        MenuItem item = new MenuItem(text);
        if (keys != null) {
            item.setAccelerator(KeyCombination.keyCombination(keys));
        }
        item.setOnAction(e -> action.run());
        return item;
    }

    private void withEditor(Consumer<EditorViewModel> action) {
        EditorViewModel editor = model.editors().selected();
        if (editor != null) {
            action.accept(editor);
        }
    }

    private void withEditorView(Consumer<EditorView> action) {
        EditorView view = selectedEditorView();
        if (view != null) {
            action.accept(view);
        }
    }

    private void askLine() {
        EditorViewModel editor = model.editors().selected();
        if (editor == null) {
            return;
        }
        TextInputDialog dialog = new TextInputDialog(Integer.toString(editor.caretLineProperty().get()));
        dialog.setTitle("Go to line");
        dialog.setHeaderText("Line in " + editor.title());
        dialog.initOwner(window());
        dialog.showAndWait().ifPresent(text -> {
            try {
                editor.goToLine(Integer.parseInt(text.trim()));
            } catch (NumberFormatException notANumber) {
                model.setWarning("'" + text + "' is not a line number");
            }
        });
    }

    private void chooseSession() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Open session");
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("KCOV Explorer sessions", "*.kcovx"),
                new FileChooser.ExtensionFilter("All files", "*"));
        File chosen = chooser.showOpenDialog(window());
        if (chosen != null) {
            openSession(chosen.toPath());
        }
    }

    /** Opens another session in this window, asking first to save live runs that exist only in this one. */
    void openSession(Path file) {
        if (!sessions.hasUnsavedLiveRuns()) {
            sessions.openSession(file);
            return;
        }
        LiveRunsQuestion.beforeOpening(window(), file.getFileName().toString(),
                () -> chooseSaveTarget(() -> sessions.openSession(file)), () -> sessions.openSession(file));
    }

    /** Closes the window, asking first to save live runs that exist only in it. */
    void quit() {
        if (!sessions.hasUnsavedLiveRuns()) {
            window().hide();
            return;
        }
        LiveRunsQuestion.beforeQuitting(window(), () -> chooseSaveTarget(() -> window().hide()), () -> window().hide());
    }

    private void chooseSaveTarget() {
        chooseSaveTarget(() -> { });
    }

    private void chooseSaveTarget(Runnable whenSaved) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Save session");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("KCOV Explorer sessions", "*.kcovx"));
        chooser.setInitialFileName("session.kcovx");
        File chosen = chooser.showSaveDialog(window());
        if (chosen != null) {
            sessions.save(chosen.toPath(), whenSaved); // where the chooser said: it asked before replacing a file
        }
    }

    private void chooseLocation(EditorViewModel editor) {
        if (!model.editors().canLocate()) {
            return;
        }
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Locate " + editor.path());
        chooser.setInitialFileName(editor.title());
        File chosen = chooser.showOpenDialog(window());
        if (chosen != null) {
            model.editors().locate(editor, chosen.toPath());
        }
    }

    /** The sources from a kernel tree or git checkout (a directory). */
    private void chooseSourceTree() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Choose a kernel source tree or git checkout");
        File chosen = chooser.showDialog(window());
        if (chosen != null) {
            sessions.chooseSources(chosen.toPath());
        }
    }

    /** The sources from a kernel source tarball, read in place. */
    private void chooseSourceTarball() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Choose a kernel source tarball");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Source tarballs",
                "*.tar.xz", "*.tar.gz", "*.tgz", "*.tar"));
        File chosen = chooser.showOpenDialog(window());
        if (chosen != null) {
            sessions.chooseSources(chosen.toPath());
        }
    }

    private void chooseDumps() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Add kcov dumps");
        List<File> chosen = chooser.showOpenMultipleDialog(window());
        if (chosen != null) {
            model.runs().addDumps(chosen.stream().map(File::toPath).toList());
        }
    }

    private Window window() {
        return getScene().getWindow();
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
