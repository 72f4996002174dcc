package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.launch.StartView;
import dev.kcovexplorer.app.model.algebra.NearestName;
import dev.kcovexplorer.app.ui.functions.FunctionRow;
import dev.kcovexplorer.app.ui.series.ChartScope;
import dev.kcovexplorer.app.ui.series.SeriesChartViewModel;
import dev.kcovexplorer.app.ui.tree.ProjectTreeViewModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Shows what a {@link StartView} asks for, in the window, once loading has finished. */
final class StartViews {
    /** A file with no more functions than this names them all when a start view's function is not among them. */
    private static final int FEW_FUNCTIONS = 5;

    private StartViews() {
    }

    /**
     * Shows {@code start}; returns what of it the window could not show (a function the file lacks), else null. The
     * caller decides what that means: a window says so and shows the rest, a picture that is not what was asked for
     * must not be delivered as if it were.
     */
    static String show(StartView start, MainViewModel model, MainView view) {
        switch (start.kind()) {
            case "editor" -> {
                return openEditor(start, model);
            }
            case "diff" -> model.composition().showDiff(start.argument(), start.second());
            case "live" -> view.showLive();
            default -> view.projectView().focusTree();
        }
        return null;
    }

    /**
     * {@link #show(StartView, MainViewModel, MainView)} of the view as the command line gave it, for a run nobody
     * watches: a view that cannot be parsed or shown is what was not shown, as a function the file lacks is.
     */
    static String show(String start, MainViewModel model, MainView view) {
        try {
            return show(StartView.parse(start), model, view);
        } catch (IllegalArgumentException badView) {
            return badView.getMessage();
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

    /** Opens the editor at the start's function; when the file has none of that name, at its top, and says so. */
    private static String openEditor(StartView start, MainViewModel model) {
        String argument = start.argument();
        String function = start.function();
        if (function == null) {
            model.editors().open(argument);
            return null;
        }
        List<String> inFile = new ArrayList<>();
        for (FunctionRow row : model.functions().all()) {
            if (row.path().equals(argument)) {
                if (row.name().equals(function)) {
                    model.editors().open(argument, row.line());
                    return null;
                }
                inFile.add(row.name());
            }
        }
        model.editors().open(argument);
        String nearest = NearestName.of(function, inFile);
        return "no function " + function + " in " + argument + (nearest != null ? " (did you mean " + nearest + "?)"
                : inFile.isEmpty() ? " (the session has no functions of that file)"
                : inFile.size() <= FEW_FUNCTIONS ? " (its functions: " + String.join(", ", inFile) + ")"
                : " (none of its " + inFile.size() + " functions is named near that)");
    }
}
