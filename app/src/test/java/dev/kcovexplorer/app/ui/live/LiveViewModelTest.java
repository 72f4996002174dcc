package dev.kcovexplorer.app.ui.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.app.ui.task.BackgroundTasks;
import dev.kcovexplorer.kcov.CoverageRun;
import dev.kcovexplorer.kcov.DumpReader;
import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.kcov.agent.AgentServer;
import dev.kcovexplorer.kcov.agent.CollectionPlan;
import dev.kcovexplorer.kcov.agent.DumpReplaySource;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Arrays;
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
 * The Live view model, headless, against a real agent server on loopback that replays a real remote
 * capture (hub_event on a QEMU xHCI bus; the kcov module's test data): the agent peer of the window's
 * live path on a machine without kcov.
 */
class LiveViewModelTest {
    static final Path CAPTURE = Path.of("../kcov/src/test/resources/dev/kcovexplorer/kcov/agent/usb-kbd-hotplug.kcov.gz");
    static long[] trace;
    static long[] uniquePcs;

    private final ExecutorService ui = Executors.newSingleThreadExecutor(task -> new Thread(task, "test-ui"));
    private LiveViewModel live;
    private AgentServer server;
    private DumpReplaySource source;
    private final LongStream.Builder published = LongStream.builder();

    @BeforeAll
    static void readTheCapture() throws Exception {
        trace = DumpReader.read(CAPTURE).trace();
        uniquePcs = LongStream.of(trace).distinct().sorted().toArray();
    }

    @BeforeEach
    void startAgentAndModel() throws Exception {
        source = new DumpReplaySource("capture", TraceMode.PC, trace, 5000);
        server = AgentServer.start(new InetSocketAddress("127.0.0.1", 0), null, source, line -> { });
        live = new LiveViewModel(ui);
        live.setOnCoverageChanged(pcs -> {
            for (long pc : pcs) {
                published.add(pc);
            }
        });
    }

    @AfterEach
    void stopEverything() throws Exception {
        live.close();
        server.close();
        ui.shutdownNow();
    }

    private static CollectionPlan plan() {
        return new CollectionPlan(TraceMode.PC, 1 << 20, new int[] {1}, 0, false, 20, true);
    }

    private <T> T onUi(Callable<T> read) throws Exception {
        return ui.submit(read).get(5, TimeUnit.SECONDS);
    }

    private void awaitOnUi(Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!onUi(condition)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within 15 s; status: " + onUi(() -> live.statusProperty().get()));
            }
            Thread.sleep(10);
        }
    }

    private void connectAndCollect() throws Exception {
        onUi(() -> {
            live.connect("127.0.0.1", server.address().getPort(), null);
            return null;
        });
        awaitOnUi(() -> live.stateProperty().get() == LiveViewModel.State.CONNECTED);
        onUi(() -> {
            live.start(plan());
            return null;
        });
        awaitOnUi(() -> live.stateProperty().get() == LiveViewModel.State.COLLECTING);
    }

    @Test
    void everyPcOfTheCaptureArrivesAndEachNewPcIsPublishedOnce() throws Exception {
        connectAndCollect();
        awaitOnUi(() -> live.pcsProperty().get() == trace.length);

        assertThat(onUi(() -> live.uniquePcsProperty().get())).isEqualTo(uniquePcs.length);
        assertThat(onUi(() -> live.lostBatchesProperty().get())).isZero();
        long[] newPcs = published.build().toArray();
        assertThat(newPcs).hasSize(uniquePcs.length);
        Arrays.sort(newPcs);
        assertThat(newPcs).isEqualTo(uniquePcs);
        assertThat(onUi(() -> live.kernelProperty().get())).contains("replay of capture");
    }

    @Test
    void updatesComeAtLeastFiveTimesASecond() throws Exception {
        long before = onUi(() -> live.updatesProperty().get());
        Thread.sleep(2000);
        long after = onUi(() -> live.updatesProperty().get());
        assertThat(1000 / LiveViewModel.UPDATE_MILLIS).isGreaterThanOrEqualTo(5);
        assertThat(after - before).as("updates in 2 s").isGreaterThanOrEqualTo(8);
    }

    @Test
    void aFrozenLiveSessionIsANormalRun() throws Exception {
        connectAndCollect();
        awaitOnUi(() -> live.pcsProperty().get() == trace.length);

        RunInput run = live.freeze("hot-plug");

        assertThat(run.label()).isEqualTo("hot-plug");
        assertThat(run.entries()).isEqualTo(trace.length);
        CoverageRun recorded = DumpReader.read(CAPTURE);
        assertThat(run.uniquePcs()).isEqualTo(recorded.uniquePcs());
        assertThat(run.hitCounts()).isEqualTo(recorded.hitCounts());
        assertThat(run.overflow()).isFalse();
        assertThat(run.remoteSource()).startsWith("live from 127.0.0.1:");
        assertThat(live.hits(trace[0])).isEqualTo((int) LongStream.of(trace).filter(pc -> pc == trace[0]).count());
    }

    @Test
    void aPausedViewHoldsStillWhileCoverageKeepsArriving() throws Exception {
        onUi(() -> {
            live.setPaused(true);
            return null;
        });
        connectAndCollect();
        await(source::exhausted);
        Thread.sleep(3 * LiveViewModel.UPDATE_MILLIS);
        assertThat(onUi(() -> live.pcsProperty().get())).isZero();

        onUi(() -> {
            live.setPaused(false);
            return null;
        });
        awaitOnUi(() -> live.pcsProperty().get() == trace.length);
    }

    @Test
    void resetForgetsWhatWasReceived() throws Exception {
        connectAndCollect();
        awaitOnUi(() -> live.pcsProperty().get() == trace.length);

        onUi(() -> {
            live.reset();
            return null;
        });

        awaitOnUi(() -> live.pcsProperty().get() == 0 && live.uniquePcsProperty().get() == 0);
        assertThat(live.freeze("empty").uniquePcs()).isEmpty();
    }

    @Test
    void aLostConnectionIsRetriedAndARestartedAgentIsFollowed() throws Exception {
        connectAndCollect();
        awaitOnUi(() -> live.pcsProperty().get() == trace.length);
        int port = server.address().getPort();

        server.close();
        awaitOnUi(() -> live.stateProperty().get() == LiveViewModel.State.RECONNECTING);
        source = new DumpReplaySource("capture", TraceMode.PC, trace, 5000);
        server = AgentServer.start(new InetSocketAddress("127.0.0.1", port), null, source, line -> { });
        awaitOnUi(() -> live.stateProperty().get() == LiveViewModel.State.CONNECTED);
        onUi(() -> {
            live.start(plan());
            return null;
        });

        awaitOnUi(() -> live.pcsProperty().get() == 2L * trace.length);
        assertThat(onUi(() -> live.uniquePcsProperty().get())).isEqualTo(uniquePcs.length);
    }

    @Test
    void comparisonsAreCountedAndLightNoLines() throws Exception {
        long[] records = new long[4 * 300];
        for (int i = 0; i < 300; i++) {
            records[4 * i] = 6; // KCOV_CMP_SIZE(3) | KCOV_CMP_CONST: an 8-byte comparison with a constant
            records[4 * i + 1] = i;
            records[4 * i + 2] = 0x42;
            records[4 * i + 3] = 0xffffffff81000000L + 16L * (i % 7);
        }
        DumpReplaySource comparisons = new DumpReplaySource("cmp", TraceMode.CMP, records, 100);
        onUi(() -> {
            live.connectTo(comparisons);
            return null;
        });
        awaitOnUi(() -> live.stateProperty().get() == LiveViewModel.State.CONNECTED);
        onUi(() -> {
            live.start(new CollectionForm(TraceMode.CMP, "1", "", "1M", false, true));
            return null;
        });

        awaitOnUi(() -> live.comparisonsProperty().get() == 300);
        assertThat(onUi(() -> live.pcsProperty().get())).isZero();
        assertThat(live.freeze("cmp").uniquePcs()).isEmpty();
    }

    @Test
    void aMistypedAddressIsExplainedNotDialled() throws Exception {
        onUi(() -> {
            live.connect("127.0.0.1:http", "");
            return null;
        });

        assertThat(onUi(() -> live.stateProperty().get())).isEqualTo(LiveViewModel.State.DISCONNECTED);
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

        assertThat(onUi(() -> live.stateProperty().get())).isEqualTo(LiveViewModel.State.CONNECTED);
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
        awaitOnUi(() -> live.stateProperty().get() == LiveViewModel.State.CONNECTED);
    }

    @Test
    void aSourceServedInProcessIsCollectedLikeARemoteAgent() throws Exception {
        DumpReplaySource here = new DumpReplaySource("here", TraceMode.PC, trace, 50_000);
        onUi(() -> {
            live.connectTo(here);
            return null;
        });
        awaitOnUi(() -> live.stateProperty().get() == LiveViewModel.State.CONNECTED);
        onUi(() -> {
            live.start(new CollectionForm(TraceMode.PC, "1", "", "1M", false, true));
            return null;
        });

        awaitOnUi(() -> live.pcsProperty().get() == trace.length);
        assertThat(onUi(() -> live.kernelProperty().get())).contains("replay of here");
        onUi(() -> {
            live.disconnect();
            return null;
        });
        assertThat(here.exhausted()).isTrue();
    }

    @Test
    void aFormMistakeStaysInTheWindow() throws Exception {
        connectOnly();
        onUi(() -> {
            live.start(new CollectionForm(TraceMode.PC, "", "", "", false, true));
            return null;
        });

        assertThat(onUi(() -> live.statusProperty().get())).startsWith("Nothing to collect");
        assertThat(onUi(() -> live.stateProperty().get())).isEqualTo(LiveViewModel.State.CONNECTED);
    }

    private void connectOnly() throws Exception {
        onUi(() -> {
            live.connect("127.0.0.1", server.address().getPort(), null);
            return null;
        });
        awaitOnUi(() -> live.stateProperty().get() == LiveViewModel.State.CONNECTED);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within 15 s");
            }
            Thread.sleep(10);
        }
    }
}
