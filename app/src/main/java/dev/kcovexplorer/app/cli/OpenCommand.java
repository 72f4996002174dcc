package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.app.launch.StartView;
import dev.kcovexplorer.app.ui.DemoSession;
import dev.kcovexplorer.app.ui.ExplorerLauncher;
import dev.kcovexplorer.app.ui.LaunchRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code open}: the window on a session or a kernel and runs; with {@code --snapshot} a headless PNG instead. */
@Command(name = "open", mixinStandardHelpOptions = true,
        description = {"Open the explorer window on a session, or on a vmlinux and kcov dumps.",
            "With --snapshot, render the window headless (no display needed) once loading has finished, "
                + "write the PNG and exit."})
public final class OpenCommand implements Callable<Integer> {
    /** Session files end so; the root command also opens one given alone. */
    static final String SESSION_SUFFIX = ".kcovx";

    static final class Input {
        @Option(names = "--vmlinux", paramLabel = "FILE", required = true,
                description = "Kernel image with debug info to index.")
        Path vmlinux;

        @Option(names = "--session", paramLabel = "FILE", required = true,
                description = "A .kcovx session file.")
        Path session;
    }

    /** Optional: a {@code .kcovx} among the arguments is the session (it cannot be anything else). */
    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Input input;

    @Option(names = "--source-root", paramLabel = "DIR|TARBALL",
            description = "Kernel sources: a directory or a .tar.xz/.tar.gz source tarball.")
    Path sourceRoot;

    @Option(names = "--snapshot", paramLabel = "OUT.png", description = "Write a PNG of the window and exit.")
    Path snapshot;

    @Option(names = "--view", paramLabel = "VIEW",
            description = "What the window (or the snapshot) shows once loaded: tree, editor:PATH, "
                    + "editor:PATH@FUNCTION, diff:A,B or live (default: tree, the project tree; the bundled demo, "
                    + "opened when nothing else is given, as kcov-explorer with no command opens it, at "
                    + DemoSession.START_VIEW + ").")
    String view;

    @Option(names = "--report-stalls", description = "Print the FX thread's worst stall from the window's start "
            + "(its first show included) to the view shown (standard error): the window's responsiveness, measured "
            + "in a fresh JVM.")
    boolean reportStalls;

    @Mixin
    ModuleOptions modules = new ModuleOptions();

    @Parameters(paramLabel = "RUN", arity = "0..*", description = "kcov dumps to add, each FILE or LABEL=FILE; "
            + "without --session or --vmlinux, a .kcovx file is the session.")
    List<String> runs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        return ExplorerLauncher.launch(request());
    }

    /**
     * What the window is asked to open, the arguments checked. Without --view it shows the tree: the window takes a
     * null view for no start view at all (no tree focused once loaded), which is what the option's default had kept
     * it from being.
     */
    LaunchRequest request() throws IOException {
        Path session = input != null ? input.session : takeSessionArgument();
        Path vmlinux = input != null ? input.vmlinux : null;
        String shown = view != null ? view : "tree";
        if (session == null && vmlinux == null) {
            // Nothing named: what kcov-explorer alone opens, so that a snapshot of it is one option away.
            session = DemoSession.locate().orElseThrow(() -> new IllegalArgumentException("nothing to open: give"
                    + " --session FILE, a " + SESSION_SUFFIX + " file, or --vmlinux FILE with dumps (this"
                    + " installation has no bundled demo session to open instead)"));
            shown = view != null ? view : DemoSession.START_VIEW;
        }
        Path main = session != null ? session : vmlinux;
        if (!Files.isRegularFile(main)) {
            throw new NoSuchFileException(main.toString());
        }
        if (sourceRoot != null && !Files.exists(sourceRoot)) {
            throw new NoSuchFileException(sourceRoot.toString());
        }
        StartView start = StartView.parse(shown);
        // The window would load the kernel first and only then find a misspelt run of diff:A,B.
        SessionInputs.checkArguments(session, runs, start.kind().equals("diff")
                ? List.of(start.argument(), start.second()) : List.of());
        if (modules.modulesDir != null && !Files.isDirectory(modules.modulesDir)) {
            throw new NoSuchFileException(modules.modulesDir + " (expected the directory that holds the modules' .ko files)");
        }
        if (modules.layoutFile != null && !Files.isRegularFile(modules.layoutFile)) {
            throw new NoSuchFileException(modules.layoutFile.toString());
        }
        return new LaunchRequest(session, vmlinux, sourceRoot, runs, snapshot, shown, reportStalls, modules.modulesDir,
                modules.layoutFile);
    }

    /**
     * The {@code .kcovx} argument, taken out of the runs, when neither --session nor --vmlinux is given; null when
     * there are no arguments at all.
     */
    private Path takeSessionArgument() {
        for (String run : runs) {
            if (run.endsWith(SESSION_SUFFIX)) {
                runs.remove(run);
                return Path.of(run);
            }
        }
        if (runs.isEmpty()) {
            return null;
        }
        throw new IllegalArgumentException("no kernel for " + runs.get(0) + ": give --vmlinux FILE, or a session"
                + " (--session FILE or a " + SESSION_SUFFIX + " file) to add the dumps to");
    }
}
