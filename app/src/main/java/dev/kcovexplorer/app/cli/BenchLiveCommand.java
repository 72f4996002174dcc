package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.app.live.LiveCoverage;
import dev.kcovexplorer.kcov.CoverageRun;
import dev.kcovexplorer.kcov.DumpReader;
import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.kcov.agent.AgentClient;
import dev.kcovexplorer.kcov.agent.AgentServer;
import dev.kcovexplorer.kcov.agent.CollectionPlan;
import dev.kcovexplorer.kcov.agent.CoverageBatch;
import dev.kcovexplorer.kcov.agent.DumpReplaySource;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench live}: how many PCs per second the live path carries, agent to window over loopback: a
 * dump's PCs (repeated to fill the run) are drained, framed, sent, parsed and counted into the Live
 * window's {@link LiveCoverage}, as in a live session.
 */
@Command(name = "live", mixinStandardHelpOptions = true, description = {
    "Stream a kcov dump's PCs through an agent and a client over loopback into the Live window's coverage "
        + "counter as fast as they go; report PCs/s and batches/s."})
final class BenchLiveCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dump", required = true, paramLabel = "FILE", description = "A TRACE_PC kcov dump to replay.")
    Path dump;

    @Option(names = "--pcs", defaultValue = "50000000", description = "PCs to stream (default ${DEFAULT-VALUE}).")
    int pcs;

    @Option(names = "--per-drain", defaultValue = "1000000",
            description = "PCs the agent finds per drain (default ${DEFAULT-VALUE}).")
    int perDrain;

    @Option(names = "--period-ms", defaultValue = "20", description = "Drain period (default ${DEFAULT-VALUE} ms).")
    int periodMillis;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        CoverageRun run = DumpReader.read(dump);
        if (run.mode() != TraceMode.PC || run.entries() == 0) {
            throw new IOException(dump + ": expected a TRACE_PC dump with PCs");
        }
        long[] trace = run.trace();
        long[] stream = new long[pcs];
        for (int i = 0; i < pcs; i += trace.length) {
            System.arraycopy(trace, 0, stream, i, Math.min(trace.length, pcs - i));
        }
        DumpReplaySource source = new DumpReplaySource(dump.getFileName().toString(), TraceMode.PC, stream, perDrain);
        AtomicLong received = new AtomicLong();
        AtomicLong batches = new AtomicLong();
        LiveCoverage coverage = new LiveCoverage();
        AgentClient.Listener listener = (CoverageBatch batch) -> {
            coverage.add(batch);
            received.addAndGet(batch.words().length);
            batches.incrementAndGet();
        };
        try (AgentServer server = AgentServer.start(new InetSocketAddress("127.0.0.1", 0), null, source, line -> { });
             AgentClient client = AgentClient.connect("127.0.0.1", server.address().getPort(), null, 0, listener)) {
            long start = System.nanoTime();
            client.start(new CollectionPlan(TraceMode.PC, 1 << 20, new int[] {1}, 0, false, periodMillis, false));
            while (!source.exhausted()) {
                Thread.sleep(5);
            }
            client.stop();
            double seconds = (System.nanoTime() - start) / 1e9;
            out.printf(Locale.ROOT, "live: %,d PCs (%,d unique) in %,d batches in %.2f s: %,.0f PCs/s, %.0f batches/s%n",
                    received.get(), coverage.takeUpdate().uniquePcs(), batches.get(), seconds,
                    received.get() / seconds, batches.get() / seconds);
        }
        out.flush();
        return 0;
    }
}
