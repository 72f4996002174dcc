package dev.kcovexplorer.app;

import dev.kcovexplorer.app.cli.KcovExplorerCommand;
import picocli.CommandLine;

/**
 * Entry point of {@code ./kcov-explorer}. It does not extend {@code javafx.application.Application}
 * on purpose: JavaFX is on the class path, not the module path, and the JavaFX launcher refuses to
 * start an Application main class from there.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(KcovExplorerCommand.run(args));
    }
}
