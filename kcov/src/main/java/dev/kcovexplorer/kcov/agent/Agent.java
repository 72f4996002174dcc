package dev.kcovexplorer.kcov.agent;

import dev.kcovexplorer.kcov.usb.UsbFuzzer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The {@code agent} command: serves coverage ({@code --listen}) or records one dump ({@code --record}).
 * Usage errors are {@link IllegalArgumentException}s and failures {@link IOException}s, both with a
 * message meant for people; callers print them in one line.
 */
public final class Agent {
    private Agent() {
    }

    /** Runs the agent until it is done (record) or terminated (listen); returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        AgentOptions options = AgentOptions.parse(args);
        if (options.help) {
            out.print(AgentOptions.USAGE);
            return 0;
        }
        Consumer<String> log = line -> {
            err.println("agent: " + line);
            err.flush();
        };
        if (options.fuzzUsb) {
            return fuzz(options, log);
        }
        return !options.listen.isEmpty() ? serve(options, log) : record(options, log);
    }

    /** A USB fuzzing campaign; SIGTERM ends it after the connection under way, its last snapshot written. */
    private static int fuzz(AgentOptions options, Consumer<String> log) throws Exception {
        UsbFuzzer fuzzer = new UsbFuzzer(options.fuzzOptions(), log);
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            fuzzer.stop();
            try {
                done.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "agent-fuzz-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            fuzzer.run();
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs already; it returns now that the campaign is written
            }
        }
        return 0;
    }

    /**
     * One server per {@code --listen} address, each with a coverage source of its own (its own kcov fd and
     * area): a window can collect USB buses through one and a common handle through another and keep them
     * apart. SIGTERM closes them all.
     */
    private static int serve(AgentOptions options, Consumer<String> log) throws IOException, InterruptedException {
        String token = options.token();
        List<AgentServer> servers = new ArrayList<>();
        Thread hook = new Thread(() -> servers.forEach(AgentServer::close), "agent-shutdown");
        try {
            for (InetSocketAddress address : options.listen) {
                CoverageSource source = options.replay != null
                        ? DumpReplaySource.of(options.replay, options.replayPerDrain)
                        : new KcovCoverageSource(options.device);
                AgentServer server = AgentServer.start(address, token, source, log);
                servers.add(server);
                Message.KernelInfo kernel = source.kernelInfo();
                log.accept("listening on " + server.address().getHostString() + ":" + server.address().getPort()
                        + " (kernel " + kernel.release() + "; " + describe(kernel) + ")");
            }
        } catch (IOException | RuntimeException e) {
            servers.forEach(AgentServer::close);
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(hook);
        for (AgentServer server : servers) {
            server.awaitClose();
        }
        return 0;
    }

    private static int record(AgentOptions options, Consumer<String> log) throws Exception {
        CollectionPlan plan;
        try {
            plan = options.plan();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (use --usb-bus, --common or --local)");
        }
        Recorder recorder = new Recorder(plan, (long) (options.seconds * 1000), log);
        // SIGTERM or Ctrl-C ends the recording early; the dump is still written before the JVM exits.
        Thread hook = new Thread(recorder::finishAndAwaitDump, "agent-record-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (options.connectHost != null) {
                recorder.recordRemote(options.connectHost, options.connectPort, options.token(), options.record);
            } else {
                recorder.recordLocal(new KcovCoverageSource(options.device), options.exerciseVhostNet, options.record);
            }
        } finally {
            recorder.done();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs already; it returns now that the recorder is done
            }
        }
        return 0;
    }

    private static String describe(Message.KernelInfo kernel) {
        if (!kernel.kcov()) {
            return "kcov unusable: " + kernel.problem();
        }
        return "kcov" + (kernel.remote() ? " with remote coverage" : " without remote coverage")
                + (kernel.comparisons() ? " and comparisons" : "")
                + (kernel.usbBuses().isEmpty() ? "" : "; USB buses " + kernel.usbBuses().stream()
                        .map(bus -> bus.bus() + " (USB " + bus.version() + ")").toList());
    }
}
