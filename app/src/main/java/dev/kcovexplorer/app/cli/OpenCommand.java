package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.app.ui.ExplorerLauncher;
import dev.kcovexplorer.app.ui.LaunchRequest;
import dev.kcovexplorer.app.ui.StartView;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code open}: the window on a session or a kernel and runs; with {@code --snapshot} a headless PNG instead. */
@Command(name = "open", mixinStandardHelpOptions = true,
        description = {"Open the explorer window on a session, or on a vmlinux and kcov dumps.",
            "With --snapshot, render the window headless (no display needed) once loading has finished, "
                + "write the PNG and exit."})
public final class OpenCommand implements Callable<Integer> {

    static final class Input {
        @Option(names = "--vmlinux", paramLabel = "FILE", required = true,
                description = "Kernel image with debug info to index.")
        Path vmlinux;

        @Option(names = "--session", paramLabel = "FILE", required = true,
                description = "A .kcovx session file.")
        Path session;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--source-root", paramLabel = "DIR|TARBALL",
            description = "Kernel sources: a directory or a .tar.xz/.tar.gz source tarball.")
    Path sourceRoot;

    @Option(names = "--snapshot", paramLabel = "OUT.png", description = "Write a PNG of the window and exit.")
    Path snapshot;

    @Option(names = "--view", paramLabel = "VIEW", defaultValue = "tree",
            description = "What the window (or the snapshot) shows once loaded: tree, editor:PATH, "
                    + "editor:PATH@FUNCTION, diff:A,B or live (default: ${DEFAULT-VALUE}).")
    String view;

    @Option(names = "--report-stalls", description = "Print the FX thread's worst stall between loading and the "
            + "view shown (standard error): the window's responsiveness, measured in a fresh JVM.")
    boolean reportStalls;

    @Parameters(paramLabel = "RUN", arity = "0..*", description = "kcov dumps to add, each FILE or LABEL=FILE.")
    List<String> runs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Path main = input.session != null ? input.session : input.vmlinux;
        if (!Files.isRegularFile(main)) {
            throw new NoSuchFileException(main.toString());
        }
        for (String run : runs) {
            Path file = Path.of(run.contains("=") ? run.substring(run.indexOf('=') + 1) : run);
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString());
            }
        }
        if (sourceRoot != null && !Files.exists(sourceRoot)) {
            throw new NoSuchFileException(sourceRoot.toString());
        }
        StartView.parse(view);
        return ExplorerLauncher.launch(new LaunchRequest(input.session, input.vmlinux, sourceRoot, runs, snapshot, view,
                reportStalls));
    }
}
