package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.launch.StartView;
import dev.kcovexplorer.app.ui.functions.FunctionRow;
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
