package dev.kcovexplorer.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code series …}: run series (fuzzing campaigns) and their coverage over time. */
@Command(name = "series", mixinStandardHelpOptions = true,
        description = "Inspect run series: fuzzing campaigns and directories of rawcover files.",
        subcommands = {SeriesInfoCommand.class, CommandLine.HelpCommand.class})
final class SeriesCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
