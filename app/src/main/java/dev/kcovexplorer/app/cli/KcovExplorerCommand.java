package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.app.ui.ExplorerLauncher;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The root command: sub-commands for every CLI action; with none it opens the window. */
@Command(name = "kcov-explorer", mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class,
        description = {"Coverage explorer for Linux kernel kcov dumps (local and remote coverage).",
            "With no command it opens the window on the bundled demo; with a .kcovx file, on that session."},
        subcommands = {CommandLine.HelpCommand.class, OpenCommand.class, InfoCommand.class, ComposeCommand.class,
            ConvertCommand.class, BenchCommand.class, PointsCommand.class, IndexCommand.class, MatchCommand.class,
            SymbolizeCommand.class, CmpCommand.class, ReportCommand.class, DiffCommand.class,
            SessionCommand.class, SeriesCommand.class, AgentCommand.class, DemoCommand.class})
public final class KcovExplorerCommand implements Runnable {

    @Mixin
    DebugOption debug;

    /** No sub-command: the window, on the bundled demo session when the checkout has one. */
    @Override
    public void run() {
        if (DemoWindow.open() != 0) {
            throw new CommandLine.ExecutionException(new CommandLine(this), DemoWindow.FAILED);
        }
    }

    /** Runs the command line and turns user errors into one clear line instead of a stack trace. */
    public static int run(String... args) {
        Path session = windowSession(args);
        if (session != null) {
            ExplorerLauncher.readAheadEarly(session);
            if (opensOnDisplay(args)) {
                ExplorerLauncher.startToolkitEarly();
            }
        }
        try {
            return run(new StandardOutput(System.out), new java.io.PrintWriter(System.err, true), args);
        } finally {
            ExplorerLauncher.cancelEarlyReadAhead();
        }
    }

    /**
     * The session file of a window's command line ({@code open … FILE.kcovx …}, or {@code FILE.kcovx …}) when it
     * is a file, else null: what {@code open} will read, found before the parser runs. Only a hint: the window
     * reads what the parsed command names.
     */
    static Path windowSession(String... arguments) {
        String[] args = sessionFirst(arguments);
        int at = commandAt(args);
        if (at == args.length || !args[at].equals("open")) {
            return null;
        }
        for (int i = at + 1; i < args.length; i++) {
            if (args[i].endsWith(OpenCommand.SESSION_SUFFIX) && !args[i].startsWith("-")) {
                try {
                    Path file = Path.of(args[i]);
                    return Files.isRegularFile(file) ? file : null;
                } catch (InvalidPathException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /**
     * Whether a window command line (one {@link #windowSession} names a session of) shows a window on the display, so
     * that its toolkit may start before the parse: not with {@code --snapshot} (headless, on another platform), nor
     * with a request for help or the version, which print and exit.
     */
    static boolean opensOnDisplay(String... args) {
        for (String arg : args) {
            if (arg.startsWith("--snapshot") || arg.equals("-h") || arg.equals("--help") || arg.equals("-V")
                    || arg.equals("--version") || arg.equals("help")) {
                return false;
            }
        }
        return true;
    }

    /** {@link #run(String...)} with the output and error streams given (tests capture them). */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... arguments) {
        String[] args = sessionFirst(arguments);
        CommandLine cli = parserFor(args);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, line, parsed) -> {
            // The option's value where it stands (before or after the command, --debug=BOOL), as Cli.reportError
            // reads it: not whether it was given (--debug=false) or spelt "--debug" (--debug=true after the command).
            if (Cli.debug(line.getCommandSpec())) {
                ex.printStackTrace(line.getErr());
            } else {
                line.getErr().println("kcov-explorer: " + UserErrors.describe(ex));
            }
            return 1;
        });
        return cli.execute(args);
    }

    /**
     * The command tree to parse {@code args} with. picocli builds the model of every command it is given from
     * their annotations, and in a fresh JVM the whole tree costs ~0.15 s more CPU than one branch: time every
     * one-shot command (a report, session info) would spend before its work. So when the first argument names
     * a command, the root holds that command alone; help, options and unknown names get the whole tree.
     */
    static CommandLine parserFor(String... args) {
        int at = commandAt(args);
        String first = at == args.length ? "" : args[at];
        for (Class<?> command : KcovExplorerCommand.class.getAnnotation(Command.class).subcommands()) {
            if (command != CommandLine.HelpCommand.class && command.getAnnotation(Command.class).name().equals(first)) {
                CommandLine trunk = new CommandLine(new Trunk());
                trunk.addSubcommand(new CommandLine(command));
                return trunk;
            }
        }
        return new CommandLine(new KcovExplorerCommand());
    }

    /** The root of one branch: its name and the option its commands inherit, as {@link KcovExplorerCommand} has them. */
    @Command(name = "kcov-explorer")
    static final class Trunk {
        @Mixin
        DebugOption debug;
    }

    /**
     * `kcov-explorer demo.kcovx …` means `open demo.kcovx …`: a session file is unambiguous (also after the option
     * taken before a command: `--debug demo.kcovx`).
     */
    private static String[] sessionFirst(String[] arguments) {
        int at = commandAt(arguments);
        if (at == arguments.length || !arguments[at].endsWith(OpenCommand.SESSION_SUFFIX)) {
            return arguments;
        }
        String[] open = new String[arguments.length + 1];
        System.arraycopy(arguments, 0, open, 0, at);
        open[at] = "open";
        System.arraycopy(arguments, at, open, at + 1, arguments.length - at);
        return open;
    }

    /**
     * Where the command is: after {@code --debug} (or {@code --debug=BOOL}), the root's option that the command
     * then runs with; the root's others (help, version) print and end the run. The launcher script finds it the
     * same way.
     */
    private static int commandAt(String[] args) {
        int at = 0;
        while (at < args.length && (args[at].equals("--debug") || args[at].startsWith("--debug="))) {
            at++;
        }
        return at;
    }
}
