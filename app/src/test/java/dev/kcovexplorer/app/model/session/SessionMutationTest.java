package dev.kcovexplorer.app.model.session;

import static dev.kcovexplorer.app.model.fixture.CampaignFixture.DEMO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.model.KernelInfo;
import dev.kcovexplorer.app.model.PathMapper;
import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.SessionRun;
import dev.kcovexplorer.app.model.fixture.ComparisonProgram;
import dev.kcovexplorer.app.model.fixture.FixtureSession;
import dev.kcovexplorer.app.model.fixture.InstrumentedProgram;
import dev.kcovexplorer.app.model.ModuleRuns;
import dev.kcovexplorer.app.model.RunsWithModules;
import dev.kcovexplorer.app.model.fixture.ModularKernel;
import dev.kcovexplorer.app.model.modules.ModuleFiles;
import dev.kcovexplorer.app.model.modules.ModuleFinder;
import dev.kcovexplorer.kcov.DumpReader;
import dev.kcovexplorer.kcov.ModuleLayoutReader;
import dev.kcovexplorer.kcov.ModuleLayoutWriter;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.index.KernelIndexCache;
import dev.kcovexplorer.symbolizer.index.BuildMonitor;
import dev.kcovexplorer.symbolizer.index.KernelIndexBuilder;
import dev.kcovexplorer.symbolizer.index.KernelIndexCodec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over 300 broken session files made from good ones — the committed demo session (format 1, as users
 * have it) and three fixture sessions written now (format 4, with per-entry SHA-256; one with comparison
 * values, one with a loadable module's index, layouts and module PCs): each is refused with a {@link SessionFormatException} that names the file, or, where the
 * change cannot alter the meaning (a flipped bit in a timestamp), loads as exactly the original session.
 * Stack traces (any other exception or error, OutOfMemoryError included), hangs (a read still running
 * after a minute) and silent acceptances (a loaded session that differs from the original, or a broken one
 * that loads at all) are counted and must be zero.
 */
class SessionMutationTest {
    /**
     * Below the smallest bomb (1 GiB), so a read that inflates one fails here. 512 MiB was too close to what reading
     * the demo session and fingerprinting it needs: G1 ran at 475-505 MiB of 512 before collections (246-364 MiB
     * live after them; the fingerprint encodes the 45 MB index into one buffer besides), and a full-suite run died of
     * OutOfMemoryError in that fingerprint, not in a read.
     */
    private static final int HEAP_MIB = 768;

    @TempDir
    Path dir;

    /**
     * Runs the mutants in a JVM of their own with a {@link #HEAP_MIB} heap, so that its peak RSS is the figure of
     * reading them and nothing else, and any mutant that needed more memory fails there.
     */
    @Test
    void everyMutantIsRefusedWithAMessageOrLoadsAsTheOriginal() throws Exception {
        InstrumentedProgram.requireTools();
        Process run = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + HEAP_MIB + "m", "-cp", System.getProperty("java.class.path"),
                SessionMutationTest.class.getName(), dir.toString(), DEMO.toAbsolutePath().toString())
                .redirectErrorStream(true).start();
        String output;
        try (var in = run.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            if (!run.waitFor(30, TimeUnit.MINUTES)) { // hang guard; the output ended, so the run did too
                run.destroyForcibly();
            }
        }
        System.out.print(output);
        java.util.regex.Matcher summary = java.util.regex.Pattern.compile("session mutants: (\\d+) .*stack traces "
                + "(\\d+), hangs (\\d+), silent acceptances (\\d+)").matcher(output);
        assertThat(summary.find()).as("the run's summary in:%n%s", output).isTrue();
        assertThat(Integer.parseInt(summary.group(1))).as("mutants").isGreaterThanOrEqualTo(300);
        assertThat(Integer.parseInt(summary.group(2))).as("stack traces").isZero();
        assertThat(Integer.parseInt(summary.group(3))).as("hangs").isZero();
        assertThat(Integer.parseInt(summary.group(4))).as("silent acceptances").isZero();
        assertThat(run.exitValue()).isZero();
    }

    /** The run itself: {@code args[0]} a scratch directory, {@code args[1]} the demo session (if present). */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path demo = Path.of(args[1]);
        List<Base> bases = new ArrayList<>();
        bases.add(base(dir, "fixture", fixtureSession(), 80, true));
        bases.add(base(dir, "cmp", comparisonSession(dir), 40, false));
        bases.add(base(dir, "modular", modularSession(dir), 40, false));
        if (Files.isRegularFile(demo)) {
            bases.add(new Base("demo", demo, fingerprint(SessionFile.read(demo)), 30, true));
        } else {
            System.out.println("the demo session is not in this checkout: only fixture sessions are mutated");
        }

        List<String> stackTraces = new ArrayList<>();
        List<String> hangs = new ArrayList<>();
        List<String> silent = new ArrayList<>();
        int refused = 0;
        int loadedAsOriginal = 0;
        int total = 0;
        long started = System.nanoTime();
        ExecutorService reader = Executors.newSingleThreadExecutor(SessionMutationTest::daemon);
        try {
            for (Base base : bases) {
                for (SessionMutants.Mutant mutant : SessionMutants.of(base.name(), base.file(), 19, base.flips(),
                        base.bombs())) {
                    total++;
                    Path file = dir.resolve(mutant.name().replaceAll("[^A-Za-z0-9._+=-]", "_") + ".kcovx");
                    Files.write(file, mutant.bytes().get());
                    Future<Session> read = reader.submit(() -> SessionFile.read(file));
                    try {
                        Session session = read.get(60, TimeUnit.SECONDS);
                        if (mutant.mayLoad() && fingerprint(session).equals(base.fingerprint())) {
                            loadedAsOriginal++;
                        } else {
                            silent.add(mutant.name() + (mutant.mayLoad() ? ": loaded as another session"
                                    : ": loaded although broken"));
                        }
                    } catch (TimeoutException e) {
                        hangs.add(mutant.name());
                        read.cancel(true);
                        reader.shutdownNow();
                        reader = Executors.newSingleThreadExecutor(SessionMutationTest::daemon);
                    } catch (ExecutionException e) {
                        Throwable cause = e.getCause();
                        if (cause instanceof SessionFormatException && cause.getMessage().startsWith(file + ": ")) {
                            refused++;
                        } else {
                            stackTraces.add(mutant.name() + ": " + cause);
                        }
                    }
                    Files.delete(file);
                }
            }
        } finally {
            reader.shutdownNow();
        }
        System.out.printf("session mutants: %d (%d refused with a message, %d loaded as the original), stack traces %d,"
                        + " hangs %d, silent acceptances %d, peak RSS %d MiB with a %d MiB heap, %d s%n", total, refused,
                loadedAsOriginal, stackTraces.size(), hangs.size(), silent.size(), peakRssKib() >> 10, HEAP_MIB,
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        stackTraces.forEach(line -> System.out.println("stack trace: " + line));
        hangs.forEach(line -> System.out.println("hang: " + line));
        silent.forEach(line -> System.out.println("silent: " + line));
        System.exit(0);
    }

    private static Thread daemon(Runnable task) {
        Thread thread = new Thread(task, "session-reader");
        thread.setDaemon(true);
        return thread;
    }

    /** A good session to mutate, with what it loads as. */
    private record Base(String name, Path file, String fingerprint, int flips, boolean bombs) {
    }

    private static Base base(Path dir, String name, Session session, int flips, boolean bombs) throws IOException {
        Path file = dir.resolve(name + "-base.kcovx");
        SessionFile.write(session, file);
        return new Base(name, file, fingerprint(SessionFile.read(file)), flips, bombs);
    }

    /** The fixture program's runs, with kernel facts, a config, source hashes and a prefix rule. */
    private static Session fixtureSession() throws Exception {
        FixtureSession fixture = FixtureSession.get();
        Session session = fixture.newSession();
        KernelInfo info = new KernelInfo("6.1.0-test", "CONFIG_KCOV=y\nCONFIG_USB=y\n", "linux-source-6.1", "6.1.99-1",
                Map.of("fixture.c", "a".repeat(64)));
        return session.withKernel(info).withPaths(new PathMapper(fixture.index.compDir(), Map.of("/build", "src")));
    }

    /** The comparison program: a PC run and a CMP run whose values are summarized in a cmp/ entry. */
    private static Session comparisonSession(Path dir) throws Exception {
        ComparisonProgram program = ComparisonProgram.build(Files.createDirectories(dir.resolve("cmp-program")).toRealPath());
        Session session = Session.create(new KernelIndexBuilder().build(program.binary(), BuildMonitor.SILENT));
        session.addRun(RunInput.of("pc", DumpReader.read(program.run(1, false, "pc.bin")), null));
        session.addRun(RunInput.of("cmp", DumpReader.read(program.run(1, true, "cmp.bin")), "USB bus 1"));
        return session;
    }

    /** Two runs of the gcc-built module from two boots, one with a layout, on the fixture kernel. */
    private static Session modularSession(Path dir) throws Exception {
        ModularKernel kernel = ModularKernel.build(dir.resolve("modular"));
        ModularKernel.Boot boot1 = kernel.boot("boot1", 0xffffffffc0a10000L, true);
        ModularKernel.Boot boot2 = kernel.boot("boot2", 0xffffffffc0c40000L, false);
        List<RunsWithModules.Recorded> runs = new ArrayList<>();
        for (ModularKernel.Boot boot : List.of(boot1, boot2)) {
            long[] pcs = boot.callSites().keySet().stream().mapToLong(site -> site + 5).limit(runs.isEmpty() ? 20 : 40)
                    .sorted().toArray();
            runs.add(new RunsWithModules.Recorded(RunInput.ofPcs("boot" + (runs.size() + 1), pcs,
                    dev.kcovexplorer.kcov.PcKind.RETURN_ADDRESS), ModuleLayoutReader.read(boot.layoutFile()), "test"));
        }
        Path cache = Files.createDirectories(dir.resolve("modular-cache"));
        try (ElfFile vmlinux = ElfFile.open(kernel.vmlinux())) {
            Session session = Session.create(new KernelIndexBuilder().build(vmlinux, BuildMonitor.SILENT));
            return RunsWithModules.add(session, ModuleRuns.KernelExtent.of(vmlinux), runs,
                    new RunsWithModules.ModuleSources(ModuleFinder.scan(kernel.modules()), new ModuleFiles(cache),
                            new KernelIndexCache(cache, new KernelIndexBuilder()), BuildMonitor.SILENT),
                    warning -> { }).session();
        }
    }

    /** A digest of everything a loaded session shows: index, kernel facts, paths, runs and their values. */
    static String fingerprint(Session session) throws IOException {
        MessageDigest sha = newSha256();
        sha.update(KernelIndexCodec.encode(session.index()));
        KernelInfo kernel = session.kernel();
        text(sha, kernel.release(), kernel.config(), kernel.sourcePackage(), kernel.sourceVersion(),
                kernel.sourceHashes().toString(), session.layout().paths().prefixRules().toString(),
                session.layout().paths().compDir(), session.modules().modules().stream()
                        .map(m -> m.name() + " " + m.buildId() + " " + m.sections()).toList().toString());
        for (SessionRun run : session.runs()) {
            text(sha, run.label(), run.colour(), run.remoteSource(), run.mode(), run.sourceFile(),
                    Long.toString(run.entries()), Boolean.toString(run.overflow()), run.figures().toString(),
                    Integer.toString(run.points().hitCount()),
                    run.layout() == null ? null : ModuleLayoutWriter.text(run.layout(), ""));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            RunCodec.write(run.uniquePcs(), run.hitCounts(), out);
            if (run.input().comparisons() != null) {
                ComparisonSummaryCodec.write(run.input().comparisons(), out);
            }
            out.flush();
            sha.update(bytes.toByteArray());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void text(MessageDigest sha, String... values) {
        for (String value : values) {
            sha.update(String.valueOf(value).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** VmHWM of this JVM: the most memory it held at once. */
    private static long peakRssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }
}
