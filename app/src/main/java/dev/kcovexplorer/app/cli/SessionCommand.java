package dev.kcovexplorer.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code session …}: create and inspect .kcovx session files. */
@Command(name = "session", mixinStandardHelpOptions = true, description = "Create or inspect .kcovx session files.",
        subcommands = {SessionCreateCommand.class, SessionInfoCommand.class, CommandLine.HelpCommand.class})
final class SessionCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
