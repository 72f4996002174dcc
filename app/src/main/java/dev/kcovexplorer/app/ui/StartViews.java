package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.launch.StartView;
import dev.kcovexplorer.app.ui.functions.FunctionRow;

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
