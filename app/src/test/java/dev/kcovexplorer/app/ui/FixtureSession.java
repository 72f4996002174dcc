package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.fixture.InstrumentedProgram;
import dev.kcovexplorer.app.model.fixture.TempDirectories;
import dev.kcovexplorer.kcov.DumpReader;
import dev.kcovexplorer.symbolizer.external.ExternalBackend;
import dev.kcovexplorer.symbolizer.index.BuildMonitor;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import dev.kcovexplorer.symbolizer.index.KernelIndexBuilder;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The model's gcc-built fixture program (shared test fixture in {@code app.model.fixture}) run twice
 * under its kcov-format harness, indexed with the real {@link KernelIndexBuilder}: real coverage for the
 * window tests and the screenshots. Built once per test JVM; each test gets a fresh session.
 */
final class FixtureSession {
    private static FixtureSession instance;

    final Path directory;
    final KernelIndex index;
    final Path basicDump;
    final Path extendedDump;

    private FixtureSession(Path directory, KernelIndex index, Path basicDump, Path extendedDump) {
        this.directory = directory;
        this.index = index;
        this.basicDump = basicDump;
        this.extendedDump = extendedDump;
    }

    static void requireTools() {
        InstrumentedProgram.requireTools();
    }

    static synchronized FixtureSession get() throws IOException, InterruptedException {
        if (instance == null) {
            Path directory = TempDirectories.removedAtExit("kcov-explorer-ui-fixture");
            InstrumentedProgram program = InstrumentedProgram.build(directory);
            KernelIndex index = new KernelIndexBuilder(elf -> ExternalBackend.LLVM.open(elf.path()))
                    .build(program.binary(), BuildMonitor.SILENT);
            instance = new FixtureSession(directory, index, program.run(1, "basic.bin"), program.run(2, "extended.bin"));
        }
        return instance;
    }

    /** A new session with the two runs: "basic" (mode 1) and "extended" (mode 2, the loop and more branches). */
    Session newSession() throws IOException {
        Session session = Session.create(index);
        session.addRun(RunInput.of("basic", DumpReader.read(basicDump), "local task"));
        session.addRun(RunInput.of("extended", DumpReader.read(extendedDump), "local task"));
        return session;
    }
}
