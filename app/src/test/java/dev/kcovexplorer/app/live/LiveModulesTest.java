package dev.kcovexplorer.app.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.model.ModuleRuns;
import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.app.model.RunsWithModules;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.SessionRun;
import dev.kcovexplorer.app.model.fixture.ModularKernel;
import dev.kcovexplorer.app.model.modules.ModuleFiles;
import dev.kcovexplorer.app.model.modules.ModuleFinder;
import dev.kcovexplorer.kcov.ModuleLayoutReader;
import dev.kcovexplorer.kcov.PcKind;
import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.kcov.agent.CollectionPlan;
import dev.kcovexplorer.kcov.agent.DumpReplaySource;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.index.BuildMonitor;
import dev.kcovexplorer.symbolizer.index.KernelIndexBuilder;
import dev.kcovexplorer.symbolizer.index.KernelIndexCache;
import dev.kcovexplorer.testing.Patience;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live coverage of a modular kernel: a session holding the fixture module (from a run of boot 1) follows
 * an agent on boot 2, which loaded the module elsewhere. The live run's module PCs are placed through
 * the layout the agent reports, so it hits the points objdump finds at the same section offsets.
 */
class LiveModulesTest {
    @TempDir
    Path dir;

    @Test
    void aLiveRunFromAnotherBootHitsTheModulesPointsBySectionAndOffset() throws Exception {
        ModularKernel.requireTools();
        ModularKernel kernel = ModularKernel.build(dir.resolve("build"));
        ModularKernel.Boot boot1 = kernel.boot("boot1", 0xffffffffc0a10000L, true);
        ModularKernel.Boot boot2 = kernel.boot("boot2", 0xffffffffc0c40000L, false);
        long first = boot1.callSites().keySet().iterator().next();
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Session session;
        try (ElfFile vmlinux = ElfFile.open(kernel.vmlinux())) {
            session = RunsWithModules.add(Session.create(new KernelIndexBuilder().build(vmlinux, BuildMonitor.SILENT)),
                    ModuleRuns.KernelExtent.of(vmlinux), List.of(new RunsWithModules.Recorded(RunInput.ofPcs("boot1",
                            new long[] {first + 5}, PcKind.RETURN_ADDRESS), ModuleLayoutReader.read(boot1.layoutFile()),
                            "boot1")), new RunsWithModules.ModuleSources(ModuleFinder.scan(kernel.modules()),
                            new ModuleFiles(cache), new KernelIndexCache(cache, new KernelIndexBuilder()),
                            BuildMonitor.SILENT), warning -> { }).session();
        }

        List<String> failures = new CopyOnWriteArrayList<>();
        Set<String> hit = new TreeSet<>();
        List<Long> sites = List.copyOf(boot2.callSites().keySet());
        long[] trace = new long[sites.size() / 2];
        for (int i = 0; i < trace.length; i++) {
            trace[i] = sites.get(2 * i) + 5;
            hit.add(boot2.callSites().get(sites.get(2 * i)));
        }
        DumpReplaySource agent = new DumpReplaySource("boot2", TraceMode.PC, trace, 3,
                () -> ModuleLayoutReader.read(boot2.layoutFile()));
        try (LiveCollector live = new LiveCollector();
             LiveSessionRun run = new LiveSessionRun(live,
                     recording(new CopyOnWriteArrayList<>(), failures))) {
            run.show(session);
            live.connectTo(agent);
            live.start(new CollectionPlan(TraceMode.PC, 1 << 16, new int[] {1}, 0, false, 20, true));
            Session shown = session;
            await(() -> shown.run("live").map(r -> r.points().hitCount() == hit.size()).orElse(false)
                    && live.moduleLayout().contains(ModularKernel.MODULE));
            // Holding everything received, it says so (a hands-free demo saves on that), its PCs placed or not.
            await(run::isSettled);
        }
        SessionRun liveRun = session.run("live").orElseThrow();
        Set<String> ours = new TreeSet<>();
        for (int p = liveRun.points().nextHit(0); p >= 0; p = liveRun.points().nextHit(p + 1)) {
            String point = boot1.callSites().get(session.index().pointAddress(p));
            ours.add(point != null ? point : "elsewhere 0x" + Long.toHexString(session.index().pointAddress(p)));
        }
        assertThat(ours).as("points named by section and offset").isEqualTo(hit);
        assertThat(liveRun.layout()).isEqualTo(ModuleLayoutReader.read(boot2.layoutFile()));
        assertThat(failures).as("the layout is read before the first batch").isEmpty();
    }

    /** A session made without the module: the live PCs in it cannot be painted, and that is said, naming it. */
    @Test
    void livePcsInAModuleTheSessionLacksAreLeftOutWithAWarningNamingIt() throws Exception {
        ModularKernel.requireTools();
        ModularKernel kernel = ModularKernel.build(dir.resolve("build"));
        ModularKernel.Boot boot = kernel.boot("boot", 0xffffffffc0c40000L, false);
        Session session;
        try (ElfFile vmlinux = ElfFile.open(kernel.vmlinux())) {
            session = Session.create(new KernelIndexBuilder().build(vmlinux, BuildMonitor.SILENT));
        }
        long[] trace = boot.callSites().keySet().stream().mapToLong(site -> site + 5).toArray();
        List<String> warnings = new CopyOnWriteArrayList<>();
        List<String> failures = new CopyOnWriteArrayList<>();
        DumpReplaySource agent = new DumpReplaySource("boot", TraceMode.PC, trace, 3,
                () -> ModuleLayoutReader.read(boot.layoutFile()));
        try (LiveCollector live = new LiveCollector();
             LiveSessionRun run = new LiveSessionRun(live, recording(warnings, failures))) {
            run.show(session);
            live.connectTo(agent);
            live.start(new CollectionPlan(TraceMode.PC, 1 << 16, new int[] {1}, 0, false, 20, true));
            await(() -> !warnings.isEmpty());
        }
        assertThat(warnings).singleElement().asString().contains(" live PCs (the first 0x")
                .contains("lie in module " + ModularKernel.MODULE + ", which this session has no index for: they are"
                        + " left out; create the session with --modules DIR where " + ModularKernel.MODULE + ".ko is");
        assertThat(session.run("live").map(r -> r.points().hitCount()).orElse(0)).as("nothing painted").isZero();
        assertThat(failures).isEmpty();
    }

    /**
     * Runs brought the module to a session holding a live run ({@link Session#withModules}, as adding a dump does in
     * the window): the new session carries the live run over, and the live run goes on in it as that one run, now
     * painting the module's PCs, not as a second one beside it. The live run was written again into the session the new
     * one was made from while the modules were indexed (here: a second pass of the replay, every hit twice).
     */
    @Test
    void aLiveRunStaysOneRunWhenRunsBringTheSessionItsModule() throws Exception {
        ModularKernel.requireTools();
        ModularKernel kernel = ModularKernel.build(dir.resolve("build"));
        ModularKernel.Boot boot = kernel.boot("boot", 0xffffffffc0c40000L, false);
        long[] modulePcs = boot.callSites().keySet().stream().mapToLong(site -> site + 5).toArray();
        long[] trace = LongStream.concat(LongStream.of(kernel.kernelReturnAddress()),
                LongStream.of(modulePcs)).toArray();
        List<String> warnings = new CopyOnWriteArrayList<>();
        List<String> failures = new CopyOnWriteArrayList<>();
        DumpReplaySource agent = new DumpReplaySource("boot", TraceMode.PC, trace, trace.length,
                () -> ModuleLayoutReader.read(boot.layoutFile()));
        CollectionPlan plan = new CollectionPlan(TraceMode.PC, 1 << 16, new int[] {1}, 0, false, 20, true);
        Path cache = Files.createDirectories(dir.resolve("cache"));
        try (ElfFile vmlinux = ElfFile.open(kernel.vmlinux());
             LiveCollector live = new LiveCollector();
             LiveSessionRun run = new LiveSessionRun(live, recording(warnings, failures))) {
            Session session = Session.create(new KernelIndexBuilder().build(vmlinux, BuildMonitor.SILENT));
            run.show(session);
            live.connectTo(agent);
            live.start(plan);
            await(() -> !warnings.isEmpty() && liveHits(session, 1));

            Session withModule = RunsWithModules.add(session, ModuleRuns.KernelExtent.of(vmlinux),
                    List.of(new RunsWithModules.Recorded(RunInput.ofPcs("boot", new long[] {modulePcs[0]},
                            PcKind.RETURN_ADDRESS), ModuleLayoutReader.read(boot.layoutFile()), "boot")),
                    new RunsWithModules.ModuleSources(ModuleFinder.scan(kernel.modules()), new ModuleFiles(cache),
                            new KernelIndexCache(cache, new KernelIndexBuilder()), BuildMonitor.SILENT),
                    warning -> { }).session();
            live.stop().get(Patience.SECONDS, TimeUnit.SECONDS);
            live.start(plan);
            await(() -> liveHits(session, 2));
            run.show(withModule);
            await(() -> withModule.runs().stream().anyMatch(r -> r.points().hitCount() == trace.length));

            assertThat(withModule.runs().stream().map(SessionRun::label).toList()).as("the session's runs")
                    .containsExactly("live", "boot");
            assertThat(withModule.run("live").orElseThrow().points().hitCount()).as("the live run's points")
                    .isEqualTo(trace.length);
        }
        assertThat(failures).isEmpty();
    }

    /** Whether the live run of {@code session} holds the kernel's PC, hit {@code times}. */
    private static boolean liveHits(Session session, int times) {
        return session.run("live").filter(r -> r.hitCounts() != null && r.hitCounts().length == 1
                && r.hitCounts()[0] == times).isPresent();
    }

    /** A listener that keeps what the run left out and how it failed, for the test to assert on. */
    private static LiveSessionRun.Listener recording(List<String> warnings, List<String> failures) {
        return new LiveSessionRun.Listener() {
            @Override
            public void written(Session target, SessionRun written) {
            }

            @Override
            public void leftOut(Session target, String warning) {
                warnings.add(warning);
            }

            @Override
            public void failed(Session target, RuntimeException error) {
                failures.add(error.getMessage());
            }
        };
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Patience.SECONDS);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("reached within " + Patience.SECONDS + " s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
