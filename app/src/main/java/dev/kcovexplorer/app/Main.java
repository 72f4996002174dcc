package dev.kcovexplorer.app;

import dev.kcovexplorer.app.cli.DemoWindow;
import dev.kcovexplorer.app.cli.KcovExplorerCommand;
import java.io.PrintWriter;

/**
 * Entry point of {@code ./kcov-explorer}. It does not extend {@code javafx.application.Application}
 * on purpose: JavaFX is on the class path, not the module path, and the JavaFX launcher refuses to
 * start an Application main class from there.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // No argument, the menu entry: straight to the window, without the command line's parser.
        System.exit(args.length == 0 ? DemoWindow.openAlone(new PrintWriter(System.err, true))
                : KcovExplorerCommand.run(args));
    }
}
