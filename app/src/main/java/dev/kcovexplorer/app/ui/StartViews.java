package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.launch.StartView;
import dev.kcovexplorer.app.ui.functions.FunctionRow;
import dev.kcovexplorer.app.ui.series.ChartScope;
import dev.kcovexplorer.app.ui.series.SeriesChartViewModel;
import dev.kcovexplorer.app.ui.tree.ProjectTreeViewModel;
import java.util.Set;

/** Shows what a {@link StartView} asks for, in the window, once loading has finished. */
final class StartViews {
    private StartViews() {
    }

    static void show(StartView start, MainViewModel model, MainView view) {
        switch (start.kind()) {
            case "editor" -> openEditor(start, model);
            case "diff" -> model.composition().showDiff(start.argument(), start.second());
            case "live" -> view.showLive();
            default -> view.projectView().focusTree();
        }
    }

    /**
     * The keys of the start's tasks whose results {@code start} does not show: the project tree's and the Coverage over
     * Time curves' for an editor or the Live window; none for the tree or a diff, which the tree shows.
     */
    static Set<String> aside(StartView start) {
        return switch (start.kind()) {
            case "editor", "live" -> Set.of(ProjectTreeViewModel.TASK_KEY, SeriesChartViewModel.TASK_KEY);
            default -> Set.of();
        };
    }

    /**
     * Whether the tool windows below the editors chosen before {@code start} is shown are made only after it
     * ({@link HeldChanges}): for an editor, which they are not part of; not for the Live window, which is one.
     */
    static boolean holdsToolWindows(StartView start) {
        return start.kind().equals("editor");
    }

    /**
     * Before the session is read: the Coverage over Time chart counts an editor's file from the start, as it does once
     * the project tree selects the file it reveals. Counted over the whole kernel until then, its curves were computed
     * twice at each such start (26 ms of a worker's CPU beside the start, then the file's 8 ms), the first result dropped
     * unseen.
     */
    static void scopeChart(StartView start, MainViewModel model) {
        if (start.kind().equals("editor")) {
            model.series().setScope(ChartScope.path(start.argument()));
        }
    }

    private static void openEditor(StartView start, MainViewModel model) {
        String argument = start.argument();
        String function = start.function();
        if (function == null) {
            model.editors().open(argument);
            return;
        }
        for (FunctionRow row : model.functions().all()) {
            if (row.name().equals(function) && row.path().equals(argument)) {
                model.editors().open(argument, row.line());
                return;
            }
        }
        model.editors().open(argument);
        model.setWarning("no function " + function + " in " + argument);
    }
}
