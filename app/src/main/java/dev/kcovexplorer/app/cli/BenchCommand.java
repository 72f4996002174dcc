package dev.kcovexplorer.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bench …}: benchmarks that print figures; they are commands, never timed tests. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run a benchmark and print its figures.",
        subcommands = {BenchCliCommand.class, BenchCmpCommand.class, BenchDumpsCommand.class, BenchLiveCommand.class, BenchModelCommand.class,
            BenchSourcesCommand.class, BenchSymbolizeCommand.class, BenchWindowScaleCommand.class, CommandLine.HelpCommand.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
