package dev.kcovexplorer.app.ui.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.live.LiveCollector;
import dev.kcovexplorer.app.live.LiveState;
import dev.kcovexplorer.app.ui.task.BackgroundTasks;
import dev.kcovexplorer.kcov.DumpReader;
import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.kcov.agent.AgentServer;
import dev.kcovexplorer.kcov.agent.DumpReplaySource;
import dev.kcovexplorer.testing.Patience;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Live view model, headless: its properties follow a real {@link LiveCollector} (against an agent server
 * on loopback replaying a real remote capture) on the UI executor, and its commands check what was typed.
 * The collection itself is tested in {@code LiveCollectorTest}.
 */
class LiveViewModelTest {
    static final Path CAPTURE = Path.of("../kcov/src/test/resources/dev/kcovexplorer/kcov/agent/usb-kbd-hotplug.kcov.gz");
    static long[] trace;
    static long[] uniquePcs;
    /**
     * Entries per 100 ms drain: the 534k-PC capture arrives in 22 batches over about 2 s, a dozen of the
     * collector's updates, so properties change many times and a paused view has batches to hold back.
     */
    private static final int PER_DRAIN = 25_000;

    private final ExecutorService ui = Executors.newSingleThreadExecutor(task -> new Thread(task, "test-ui"));
    private LiveCollector collector;
    private LiveViewModel live;
    private AgentServer server;
    private DumpReplaySource source;

    @BeforeAll
    static void readTheCapture() throws Exception {
        trace = DumpReader.read(CAPTURE).trace();
        uniquePcs = LongStream.of(trace).distinct().sorted().toArray();
    }

    @BeforeEach
    void startAgentAndModel() throws Exception {
        source = new DumpReplaySource("capture", TraceMode.PC, trace, PER_DRAIN);
        server = AgentServer.start(new InetSocketAddress("127.0.0.1", 0), null, source, line -> { });
        collector = new LiveCollector();
        live = new LiveViewModel(collector, ui);
    }

    @AfterEach
    void stopEverything() throws Exception {
        live.close();
        server.close();
        ui.shutdownNow();
    }


    private <T> T onUi(Callable<T> read) throws Exception {
        return ui.submit(read).get(Patience.SECONDS, TimeUnit.SECONDS);
    }

    private void awaitOnUi(Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Patience.SECONDS);
        while (!onUi(condition)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + Patience.SECONDS + " s; status: "
                        + onUi(() -> live.statusProperty().get()));
            }
            Thread.sleep(10);
        }
    }

    private void connectAndCollect() throws Exception {
        onUi(() -> {
            live.connect("127.0.0.1:" + server.address().getPort(), "");
            return null;
        });
        awaitOnUi(() -> live.stateProperty().get() == LiveState.CONNECTED);
        onUi(() -> {
            live.start(new CollectionForm(TraceMode.PC, "1", "", "1M", false, true));
            return null;
        });
        awaitOnUi(() -> live.stateProperty().get() == LiveState.COLLECTING);
    }

    @Test
    void thePropertiesFollowTheCollectionOnTheUiThread() throws Exception {
        java.util.List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        onUi(() -> {
            live.pcsProperty().addListener((obs, old, now) -> threads.add(Thread.currentThread().getName()));
            live.stateProperty().addListener((obs, old, now) -> threads.add(Thread.currentThread().getName()));
            return null;
        });
        connectAndCollect();
        awaitOnUi(() -> live.pcsProperty().get() == trace.length);

        assertThat(onUi(() -> live.uniquePcsProperty().get())).isEqualTo(uniquePcs.length);
        assertThat(onUi(() -> live.lostBatchesProperty().get())).isZero();
        assertThat(onUi(() -> live.kernelProperty().get())).contains("replay of capture");
        assertThat(onUi(() -> live.updatesProperty().get())).isPositive();
        assertThat(threads).as("threads the properties changed on").isNotEmpty().containsOnly("test-ui");
    }

    @Test
    void aPausedViewHoldsStillWhileCoverageKeepsArriving() throws Exception {
        onUi(() -> {
            live.setPaused(true);
            return null;
        });
        connectAndCollect();
        await(() -> collector.freeze("received").entries() == trace.length);
        assertThat(onUi(() -> live.pcsProperty().get())).as("what the view shows while paused").isZero();
        assertThat(onUi(() -> live.pausedProperty().get())).isTrue();

        onUi(() -> {
            live.setPaused(false);
            return null;
        });
        awaitOnUi(() -> live.pcsProperty().get() == trace.length);
    }

    @Test
    void aMistypedAddressIsExplainedNotDialled() throws Exception {
        onUi(() -> {
            live.connect("127.0.0.1:http", "");
            return null;
        });

        assertThat(onUi(() -> live.stateProperty().get())).isEqualTo(LiveState.DISCONNECTED);
        assertThat(onUi(() -> live.statusProperty().get()))
                .isEqualTo("Agent: '127.0.0.1:http' is not host:port (e.g. 127.0.0.1:7070)");
        onUi(() -> {
            live.connect("::1:7070", "");
            return null;
        });
        assertThat(onUi(() -> live.statusProperty().get()))
                .isEqualTo("Agent: '::1:7070': write an IPv6 address in brackets, e.g. [::1]:7070");
    }

    @Test
    void aMistypedAddressLeavesAConnectionAsItIs() throws Exception {
        connectOnly();
        onUi(() -> {
            live.connect("localhost:", "");
            return null;
        });

        assertThat(onUi(() -> live.stateProperty().get())).isEqualTo(LiveState.CONNECTED);
        assertThat(onUi(() -> live.statusProperty().get())).startsWith("Agent: 'localhost:' is not host:port");
    }

    @Test
    void anUnknownHostIsNamedSo() {
        // Java's message is the host alone; resolving a real name here would depend on the network.
        assertThat(BackgroundTasks.describe(new java.net.UnknownHostException("agent.example")))
                .isEqualTo("unknown host agent.example");
        assertThat(BackgroundTasks.describe(new java.net.ConnectException("Connection refused")))
                .isEqualTo("Connection refused");
    }

    @Test
    void aBarePortMeansThisMachine() throws Exception {
        onUi(() -> {
            live.connect(Integer.toString(server.address().getPort()), " ");
            return null;
        });
        awaitOnUi(() -> live.stateProperty().get() == LiveState.CONNECTED);
    }

    @Test
    void aFormMistakeStaysInTheWindow() throws Exception {
        connectOnly();
        onUi(() -> {
            live.start(new CollectionForm(TraceMode.PC, "", "", "", false, true));
            return null;
        });

        assertThat(onUi(() -> live.statusProperty().get())).startsWith("Nothing to collect");
        assertThat(onUi(() -> live.stateProperty().get())).isEqualTo(LiveState.CONNECTED);
    }

    private void connectOnly() throws Exception {
        onUi(() -> {
            live.connect("127.0.0.1:" + server.address().getPort(), "");
            return null;
        });
        awaitOnUi(() -> live.stateProperty().get() == LiveState.CONNECTED);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Patience.SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + Patience.SECONDS + " s");
            }
            Thread.sleep(10);
        }
    }
}
