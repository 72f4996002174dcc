package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.app.model.KernelInfo;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.SessionRun;
import dev.kcovexplorer.app.model.SourceHashes;
import dev.kcovexplorer.app.model.algebra.ExpressionException;
import dev.kcovexplorer.app.model.algebra.RunNames;
import dev.kcovexplorer.app.model.algebra.SetExpression;
import dev.kcovexplorer.app.model.session.SessionFile;
import dev.kcovexplorer.kcov.AtomicFiles;
import dev.kcovexplorer.kcov.RemoteHandle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code session create}: index a vmlinux, add runs, record what is known of the build, write one .kcovx file. */
@Command(name = "create", mixinStandardHelpOptions = true, description = {
    "Write a session file that opens without the vmlinux and without the sources: the kernel index, the runs "
        + "(FILE or LABEL=FILE) with their remote sources and colours, the build facts, and with --source-root the "
        + "SHA-256 of every source file the build used."})
final class SessionCreateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--vmlinux", paramLabel = "FILE", required = true, description = "Kernel image with debug info.")
    Path vmlinux;

    @Option(names = "--source-root", paramLabel = "DIR", description = "The source tree the kernel was built from.")
    Path sourceRoot;

    @Option(names = "--prefix-map", paramLabel = "FROM=TO", description = "Map build paths (repeatable).")
    List<String> prefixMap = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.kcovx", required = true, description = "The session file.")
    Path output;

    @Option(names = "--release", paramLabel = "RELEASE", description = "Kernel release, e.g. 6.1.0-kcov.")
    String release;

    @Option(names = "--config", paramLabel = "FILE", description = "The kernel .config to store.")
    Path config;

    @Option(names = "--source-package", paramLabel = "NAME=VERSION",
            description = "The Debian package carrying the sources, e.g. linux-source-6.1=6.1.158-1.")
    String sourcePackage;

    @Option(names = "--remote", paramLabel = "LABEL=SOURCE",
            description = "Where a run's remote coverage came from: a handle (0x0100000000000001) or text "
                    + "(\"USB bus 1\"). Repeatable.")
    List<String> remotes = new ArrayList<>();

    @Option(names = "--colour", paramLabel = "LABEL=#RRGGBB", description = "A run's colour. Repeatable.")
    List<String> colours = new ArrayList<>();

    @Mixin
    ModuleOptions modules = new ModuleOptions();

    @Parameters(paramLabel = "RUN", arity = "0..*",
            description = "kcov dumps or run series (campaign directories): FILE, LABEL=FILE, DIR or LABEL=DIR.")
    List<String> runs = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        SessionInputs inputs = new SessionInputs();
        inputs.kernel = new SessionInputs.Kernel();
        inputs.kernel.vmlinux = vmlinux;
        inputs.sourceRoot = sourceRoot;
        inputs.prefixMap = prefixMap;
        inputs.modules = modules;
        List<Path> readOnly = inputs.inputs(runs);
        if (config != null) {
            readOnly.add(config);
        }
        AtomicFiles.requireNotAnInput(output, readOnly);
        Map<String, String> remoteOf = perRun(remotes, "--remote");
        Map<String, String> colourOf = perRun(colours, "--colour");
        if (!runs.isEmpty() || !remoteOf.isEmpty() || !colourOf.isEmpty()) {
            // Each dump there and each run named there, before the vmlinux is indexed: the dumps are checked and the
            // run series read once, not again for every --remote and --colour.
            RunNames<String> names = inputs.runNames(runs);
            checkRunsNamed(names, remoteOf, "--remote");
            checkRunsNamed(names, colourOf, "--colour");
        }
        String configText = null;
        if (config != null) {
            if (!Files.isRegularFile(config)) {
                throw new NoSuchFileException(config + " (expected the kernel .config)");
            }
            configText = Files.readString(config);
        }
        String packageName = null;
        String packageVersion = null;
        if (sourcePackage != null) {
            int eq = sourcePackage.indexOf('=');
            if (eq <= 0 || eq == sourcePackage.length() - 1) {
                throw new IllegalArgumentException("--source-package '" + sourcePackage + "': expected NAME=VERSION");
            }
            packageName = sourcePackage.substring(0, eq);
            packageVersion = sourcePackage.substring(eq + 1);
        }
        Session session = inputs.load(runs, spec.commandLine().getErr());
        for (Map.Entry<String, String> e : remoteOf.entrySet()) {
            session.setRemoteSource(requireRun(session, e.getKey()), describeRemote(e.getValue()));
        }
        for (Map.Entry<String, String> e : colourOf.entrySet()) {
            session.recolourRun(requireRun(session, e.getKey()), e.getValue());
        }
        Map<String, String> hashes = sourceRoot == null ? Map.of() : SourceHashes.compute(session.layout(), sourceRoot);
        session = session.withKernel(new KernelInfo(release, configText, packageName, packageVersion, hashes));
        SessionFile.write(session, output);
        int covered = 0;
        for (SessionRun run : session.runs()) {
            covered += run.points().hitCount();
        }
        spec.commandLine().getOut().printf("%s: %d points in %d files, %d modules, %d runs (%d covered points), %d source"
                        + " hashes, %d bytes%n", output, session.index().pointCount(), session.layout().fileCount(),
                session.modules().modules().size(), session.runs().size(), covered, hashes.size(), Files.size(output));
        return 0;
    }

    /** A handle in any form RemoteHandle reads ("0x0100000000000001", "usb:1") → "USB bus 1"; other text as is. */
    private static String describeRemote(String text) {
        try {
            return RemoteHandle.parse(text).describe();
        } catch (IllegalArgumentException notAHandle) {
            return text;
        }
    }

    /**
     * Every run {@code option} names will be there: said before the vmlinux is indexed and the dumps read, which took
     * seconds before a misspelt label was found. A labelled run's letter name (A) passes here; {@link #requireRun}
     * refuses it once the runs are loaded.
     */
    private static void checkRunsNamed(RunNames<String> names, Map<String, String> perRun, String option) {
        for (Map.Entry<String, String> e : perRun.entrySet()) {
            try {
                names.check(new SetExpression.Name(e.getKey(), 1));
            } catch (ExpressionException unknown) {
                throw new IllegalArgumentException(option + " " + e.getKey() + "=" + e.getValue() + ": "
                        + unknown.getMessage());
            }
        }
    }

    private static String requireRun(Session session, String label) {
        if (session.run(label).isEmpty()) {
            throw new IllegalArgumentException("no run labelled '" + label + "' (runs: "
                    + session.runs().stream().map(SessionRun::label).toList() + ")");
        }
        return label;
    }

    private static Map<String, String> perRun(List<String> values, String option) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String value : values) {
            int eq = value.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(option + " '" + value + "': expected LABEL=VALUE");
            }
            out.put(value.substring(0, eq), value.substring(eq + 1));
        }
        return out;
    }
}
