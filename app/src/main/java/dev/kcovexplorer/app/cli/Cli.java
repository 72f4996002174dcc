package dev.kcovexplorer.app.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** What sub-commands share: error lines for one failed input among many, and the --debug switch. */
final class Cli {
    private Cli() {
    }

    /** Prints one error line (or the stack trace with --debug) and lets the command go on. */
    static void reportError(CommandSpec spec, Throwable e) {
        if (debug(spec)) {
            e.printStackTrace(spec.commandLine().getErr());
        } else {
            spec.commandLine().getErr().println("kcov-explorer: " + UserErrors.describe(e));
        }
        spec.commandLine().getErr().flush();
    }

    static boolean debug(CommandSpec spec) {
        for (CommandSpec s = spec; s != null; s = s.parent()) {
            OptionSpec option = s.findOption("--debug");
            if (option != null && Boolean.TRUE.equals(option.getValue())) {
                return true;
            }
        }
        return false;
    }
}
