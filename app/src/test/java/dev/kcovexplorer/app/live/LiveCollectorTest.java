package dev.kcovexplorer.app.live;

import dev.kcovexplorer.app.model.cmp.ComparisonSummarizer;
import dev.kcovexplorer.app.model.cmp.ComparisonSummary;
import dev.kcovexplorer.kcov.CmpRecords;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.kcov.CoverageRun;
import dev.kcovexplorer.kcov.DumpReader;
import dev.kcovexplorer.kcov.ModuleLayout;
import dev.kcovexplorer.kcov.ModuleLayoutReader;
import dev.kcovexplorer.kcov.TraceMode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kcovexplorer.kcov.agent.AgentProtocol;
import dev.kcovexplorer.kcov.agent.AgentServer;
import dev.kcovexplorer.kcov.agent.CollectionPlan;
import dev.kcovexplorer.kcov.agent.CoverageBatch;
import dev.kcovexplorer.kcov.agent.CoverageSource;
import dev.kcovexplorer.kcov.agent.DumpReplaySource;
import dev.kcovexplorer.kcov.agent.Message;
import dev.kcovexplorer.kcov.live.CoverageChunk;
import dev.kcovexplorer.testing.Patience;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live collection without a window, as the CLI could use it: against a real agent server on loopback
 * that replays a real remote capture (hub_event on a QEMU xHCI bus; the kcov module's test data).
 * Observers run on the collector's own threads here ({@code Runnable::run}).
 */
class LiveCollectorTest {
    static final Path CAPTURE = Path.of("../kcov/src/test/resources/dev/kcovexplorer/kcov/agent/usb-kbd-hotplug.kcov.gz");
    static long[] trace;
    static long[] uniquePcs;

    private LiveCollector live;
    private AgentServer server;
    private DumpReplaySource source;
    private final Recorder seen = new Recorder();

    /** What the collector said, for the test thread to poll. */
    private static final class Recorder implements LiveCollector.Observer {
        volatile LiveState state = LiveState.DISCONNECTED;
        volatile String status = "";
        volatile Message.KernelInfo kernel;
        volatile ModuleLayout modules;
        volatile LiveCoverage.Update totals;
        private final LongStream.Builder newPcs = LongStream.builder();

        @Override
        public void stateChanged(LiveState next, String text) {
            state = next;
            status = text;
        }

        @Override
        public void statusChanged(String text) {
            status = text;
        }

        @Override
        public void kernelKnown(Message.KernelInfo info) {
            kernel = info;
        }

        @Override
        public void modulesKnown(ModuleLayout layout) {
            modules = layout;
        }

        @Override
        public synchronized void updated(LiveCollector.Tick tick) {
            for (long pc : tick.totals().newPcs()) {
                newPcs.add(pc);
            }
            totals = tick.totals();
        }

        synchronized long[] newPcs() {
            return newPcs.build().toArray();
        }

        long pcs() {
            LiveCoverage.Update now = totals;
            return now == null ? 0 : now.pcs();
        }
    }

    @BeforeAll
    static void readTheCapture() throws Exception {
        trace = DumpReader.read(CAPTURE).trace();
        uniquePcs = LongStream.of(trace).distinct().sorted().toArray();
    }

    @BeforeEach
    void startAgentAndCollector() throws Exception {
        source = new DumpReplaySource("capture", TraceMode.PC, trace, 5000);
        server = AgentServer.start(new InetSocketAddress("127.0.0.1", 0), null, source, line -> { });
        live = new LiveCollector();
        live.observe(Runnable::run, seen);
    }

    @AfterEach
    void stopEverything() throws Exception {
        live.close();
        server.close();
    }

    static CollectionPlan plan() {
        return new CollectionPlan(TraceMode.PC, 1 << 20, new int[] {1}, 0, false, 20, true);
    }

    private void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Patience.SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + Patience.SECONDS + " s; status: " + seen.status);
            }
            Thread.sleep(10);
        }
    }

    /** {@code future}'s value, or a failure saying what was awaited instead of a TimeoutException saying nothing. */
    private <T> T within(Future<T> future, String what) throws Exception {
        try {
            return future.get(Patience.SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("not done within " + Patience.SECONDS + " s: " + what + "; status: " + seen.status, e);
        }
    }

    private void connectAndCollect() throws Exception {
        live.connect("127.0.0.1", server.address().getPort(), null);
        await(() -> seen.state == LiveState.CONNECTED);
        live.start(plan());
        await(() -> seen.state == LiveState.COLLECTING);
    }

    @Test
    void everyPcOfTheCaptureArrivesAndEachNewPcIsAnnouncedOnce() throws Exception {
        connectAndCollect();
        await(() -> seen.pcs() == trace.length);

        assertThat(seen.totals.uniquePcs()).isEqualTo(uniquePcs.length);
        assertThat(seen.totals.lostBatches()).isZero();
        long[] announced = seen.newPcs();
        Arrays.sort(announced);
        assertThat(announced).isEqualTo(uniquePcs);
        assertThat(seen.kernel.release()).contains("replay of capture");
    }

    @Test
    void aFrozenLiveSessionIsANormalRun() throws Exception {
        connectAndCollect();
        CoverageRun recorded = DumpReader.read(CAPTURE);
        await(() -> live.freeze("hot-plug").entries() == trace.length);

        RunInput run = live.freeze("hot-plug");

        assertThat(run.label()).isEqualTo("hot-plug");
        assertThat(run.uniquePcs()).isEqualTo(recorded.uniquePcs());
        assertThat(run.hitCounts()).isEqualTo(recorded.hitCounts());
        assertThat(run.overflow()).isFalse();
        assertThat(run.remoteSource()).startsWith("live from 127.0.0.1:");
        assertThat(live.hits(trace[0])).isEqualTo((int) LongStream.of(trace).filter(pc -> pc == trace[0]).count());
    }

    @Test
    void theModuleLayoutIsReadWhenCollectionStartsAndAgainWhenItStops(@TempDir Path dir) throws Exception {
        Path atStart = java.nio.file.Files.writeString(dir.resolve("start.layout"),
                "vhost build-id aabbccdd\nvhost .text 0xffffffffc0a3e000\n");
        Path atStop = java.nio.file.Files.writeString(dir.resolve("stop.layout"),
                "vhost build-id aabbccdd\nvhost .text 0xffffffffc0a3e000\nusbhid .text 0xffffffffc0b00000\n");
        java.util.concurrent.atomic.AtomicReference<Path> now = new java.util.concurrent.atomic.AtomicReference<>(atStart);
        server.close();
        source = new DumpReplaySource("capture", TraceMode.PC, trace, 5000, () -> ModuleLayoutReader.read(now.get()));
        server = AgentServer.start(new InetSocketAddress("127.0.0.1", 0), null, source, line -> { });
        assertThat(live.moduleLayout()).isSameAs(ModuleLayout.NONE);

        connectAndCollect();
        await(() -> seen.modules != null);
        assertThat(live.moduleLayout()).isEqualTo(ModuleLayoutReader.read(atStart)).isEqualTo(seen.modules);

        now.set(atStop); // a keyboard plugged in meanwhile loaded usbhid
        live.stop();
        await(() -> seen.modules.contains("usbhid"));
        assertThat(live.moduleLayout()).isEqualTo(ModuleLayoutReader.read(atStop));
    }

    @Test
    void pausedUpdatesHoldStillWhileCoverageKeepsArriving() throws Exception {
        live.setPaused(true);
        connectAndCollect();
        await(() -> live.freeze("all").entries() == trace.length);
        assertThat(seen.pcs()).as("what the updates said while paused").isZero();

        live.setPaused(false);
        await(() -> seen.pcs() == trace.length);
    }

    @Test
    void resetForgetsWhatWasReceivedAndSaysSo() throws Exception {
        connectAndCollect();
        await(() -> seen.pcs() == trace.length);

        live.reset();

        await(() -> seen.pcs() == 0 && seen.totals.uniquePcs() == 0);
        assertThat(live.freeze("empty").uniquePcs()).isEmpty();
        assertThat(live.isEmpty()).isTrue();
    }

    /**
     * A batch the agent made before it reset, arriving after the collector forgot what it held: the race a Reset
     * pressed while coverage streams runs, made certain here. The agent's drain is held while the user resets; the
     * batch it then makes is old coverage (the agent's reset waits for that drain), and must not come back.
     */
    @Test
    void aBatchMadeBeforeTheAgentsResetDoesNotRefillTheCollectorAfterIt() throws Exception {
        long[] before = Arrays.copyOfRange(uniquePcs, 0, uniquePcs.length / 2);
        long[] inFlight = Arrays.copyOfRange(uniquePcs, uniquePcs.length / 2, uniquePcs.length);
        HeldDrainSource held = new HeldDrainSource(before, inFlight);
        try (AgentServer agent = collectingFrom(held)) {
            resetWhileTheSecondDrainIsHeld(held, before[0], () -> { });
            // After the reset, once every batch of the session arrived.
            within(live.stop(), "the collector's stop");

            assertThat(live.freeze("after reset").uniquePcs().length).as("PCs held after the reset (the batch made "
                    + "before it had " + inFlight.length + ")").isZero();
            assertThat(live.losses()).as("batches counted as lost").isZero();
        }
    }

    /**
     * A reset the agent is slow to confirm (its drain held): the status says the reset is awaited and what arrives is
     * held, then that it was confirmed. On the old code nothing was said while the coverage stayed out of view.
     */
    @Test
    void aResetTheAgentIsSlowToConfirmIsSaidToBeAwaitedAndThenConfirmed() throws Exception {
        long[] before = Arrays.copyOfRange(uniquePcs, 0, uniquePcs.length / 2);
        long[] inFlight = Arrays.copyOfRange(uniquePcs, uniquePcs.length / 2, uniquePcs.length);
        HeldDrainSource held = new HeldDrainSource(before, inFlight);
        try (AgentServer agent = collectingFrom(held)) {
            resetWhileTheSecondDrainIsHeld(held, before[0],
                    () -> await(() -> seen.status.startsWith("waiting for the agent to confirm the reset")));
            await(() -> seen.status.equals("the agent confirmed the reset; coverage counts again"));
            within(live.stop(), "the collector's stop");
        }
    }

    /** An agent over {@code held}, this collector connected to it and collecting. */
    private AgentServer collectingFrom(HeldDrainSource held) throws Exception {
        AgentServer agent = AgentServer.start(new InetSocketAddress("127.0.0.1", 0), null, held, line -> { });
        try {
            live.connect("127.0.0.1", agent.address().getPort(), null);
            await(() -> seen.state == LiveState.CONNECTED);
            live.start(plan());
            return agent;
        } catch (Exception | AssertionError e) {
            agent.close();
            throw e;
        }
    }

    /**
     * Once the first batch ({@code firstPc}) arrived and the agent's second drain is held, resets and runs
     * {@code whileHeld}; then lets the drain go.
     */
    private void resetWhileTheSecondDrainIsHeld(HeldDrainSource held, long firstPc, WhileHeld whileHeld)
            throws InterruptedException {
        try {
            await(() -> live.hits(firstPc) == 1);
            assertThat(held.drainEntered.await(Patience.SECONDS, TimeUnit.SECONDS)).as("the agent's second drain began")
                    .isTrue();
            live.reset();
            whileHeld.run();
        } finally {
            // Also when the test failed before: the held drain keeps the agent's lock, which its close waits for.
            held.release.countDown();
        }
    }

    private interface WhileHeld {
        void run() throws InterruptedException;
    }

    /** A kernel that wrote {@code first}, then {@code second} in a drain held until released, then nothing. */
    private static final class HeldDrainSource implements CoverageSource {
        final CountDownLatch drainEntered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final long[] first;
        private final long[] second;
        private int drains;

        HeldDrainSource(long[] first, long[] second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public Message.KernelInfo kernelInfo() {
            return new DumpReplaySource("held", TraceMode.PC, first, 1).kernelInfo();
        }

        @Override
        public void start(CollectionPlan plan) {
        }

        @Override
        public CoverageChunk drain() throws IOException {
            switch (drains++) {
                case 0:
                    return new CoverageChunk(TraceMode.PC, first, false);
                case 1:
                    drainEntered.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new InterruptedIOException("the held drain was interrupted");
                    }
                    return new CoverageChunk(TraceMode.PC, second, false);
                default:
                    return new CoverageChunk(TraceMode.PC, new long[0], false);
            }
        }

        @Override
        public CoverageChunk stop() {
            return new CoverageChunk(TraceMode.PC, new long[0], false);
        }

        @Override
        public ModuleLayout moduleLayout() {
            return ModuleLayout.NONE;
        }
    }

    /**
     * A Reset pressed while the connection is lost cannot reach the agent, which meanwhile kept collecting and holds
     * a batch made before the Reset. After the reconnection that batch must not bring the old coverage back; coverage
     * the kernel makes after the Reset counts.
     */
    @Test
    void aResetTheAgentCouldNotConfirmKeepsOldCoverageOutAfterTheReconnection() throws Exception {
        long[] before = Arrays.copyOfRange(uniquePcs, 0, 100);
        long[] whileCut = Arrays.copyOfRange(uniquePcs, 100, 200);
        long[] after = Arrays.copyOfRange(uniquePcs, 200, 300);
        QueuedSource kernel = new QueuedSource();
        try (AgentServer agent = AgentServer.start(new InetSocketAddress("127.0.0.1", 0), null, kernel, line -> { });
                CuttableRelay relay = new CuttableRelay(agent.address())) {
            live.connect("127.0.0.1", relay.port(), null);
            await(() -> seen.state == LiveState.CONNECTED);
            live.start(plan()); // keeps collecting without its controller
            kernel.write(before);
            await(() -> live.hits(before[0]) == 1);

            relay.cut();
            await(() -> seen.state == LiveState.RECONNECTING);
            kernel.write(whileCut);
            await(kernel::drainedAll); // the agent holds it for the next controller
            live.reset();
            relay.resume();
            await(() -> seen.state == LiveState.COLLECTING);
            kernel.write(after);
            await(() -> live.hits(after[0]) == 1);
            within(live.stop(), "the collector's stop");

            assertThat(live.freeze("after reset").uniquePcs()).as("what the kernel covered after the Reset")
                    .containsExactly(LongStream.of(after).sorted().toArray());
        }
    }

    /** A kernel whose coverage the test writes: each drain takes what was written since the previous one. */
    private static final class QueuedSource implements CoverageSource {
        private final BlockingQueue<long[]> written = new LinkedBlockingQueue<>();
        private final AtomicInteger undrained = new AtomicInteger();

        void write(long[] pcs) {
            undrained.incrementAndGet();
            written.add(pcs);
        }

        boolean drainedAll() {
            return undrained.get() == 0;
        }

        @Override
        public Message.KernelInfo kernelInfo() {
            return new DumpReplaySource("queued", TraceMode.PC, new long[0], 1).kernelInfo();
        }

        @Override
        public void start(CollectionPlan plan) {
        }

        @Override
        public CoverageChunk drain() {
            long[] pcs = written.poll();
            if (pcs == null) {
                return new CoverageChunk(TraceMode.PC, new long[0], false);
            }
            undrained.decrementAndGet();
            return new CoverageChunk(TraceMode.PC, pcs, false);
        }

        @Override
        public CoverageChunk stop() {
            return drain();
        }

        @Override
        public ModuleLayout moduleLayout() {
            return ModuleLayout.NONE;
        }
    }

    /**
     * A loopback relay to an agent whose connections the test can cut, as a network does: the agent and the
     * collector each see the other side go away, and new connections fail until it is resumed.
     */
    private static final class CuttableRelay implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 50,
                InetAddress.getLoopbackAddress());
        private final InetSocketAddress agent;
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        private volatile boolean cut;

        CuttableRelay(InetSocketAddress agent) throws IOException {
            this.agent = agent;
            Thread accepting = new Thread(this::accept, "test-relay");
            accepting.setDaemon(true);
            accepting.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        void cut() throws IOException {
            cut = true;
            for (Socket socket : open) {
                socket.close();
            }
        }

        void resume() {
            cut = false;
        }

        private void accept() {
            try {
                while (true) {
                    Socket client = listener.accept();
                    if (cut) {
                        client.close();
                        continue;
                    }
                    Socket server = new Socket(agent.getAddress(), agent.getPort());
                    open.add(client);
                    open.add(server);
                    pipe(client, server);
                    pipe(server, client);
                }
            } catch (IOException closed) {
                // the relay was closed
            }
        }

        private static void pipe(Socket from, Socket to) {
            Thread copying = new Thread(() -> {
                try {
                    from.getInputStream().transferTo(to.getOutputStream());
                } catch (IOException cutOrClosed) {
                    // either side went away: so does the other
                }
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }, "test-relay-pipe");
            copying.setDaemon(true);
            copying.start();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            cut();
        }
    }

    /**
     * A connection replaced (the user connected to another agent) while its reader still delivered what had arrived:
     * held here in an observer, for longer than the close waits for it (5 s), it goes on once the new connection is up.
     * Nothing it delivers then counts. On the old code its batch, numbered by the old agent far beyond the new agent's
     * numbers, became the last sequence received, and the new agent's coverage was dropped as repeats of it.
     */
    @Test
    void whatAReplacedConnectionDeliversLateCountsNothing() throws Exception {
        long oldPc = 0xffffffff8100deadL;
        replaceTheConnectionWhileItsReaderHolds("the old agent's last notice",
                ScriptedAgent.batch(new CoverageBatch(5000, TraceMode.PC, false, new long[] {oldPc})));
        live.start(plan());

        await(() -> seen.pcs() == trace.length);
        assertThat(live.hits(oldPc)).as("hits of the replaced connection's late PC").isZero();
    }

    /**
     * A replaced connection's reader, held past its close as above, then delivers the old agent's bye and error: the
     * status speaks of the connection now, not of those. On the old code it said "the agent shut down: the old agent's
     * bye" and then the old error, under the new connection's state.
     */
    @Test
    void whatAReplacedConnectionSaysLateIsNotSaid() throws Exception {
        String heldOn = "the old agent's first notice";
        List<String> said = replaceTheConnectionWhileItsReaderHolds(heldOn, ScriptedAgent.together(
                ScriptedAgent.json(new Message.Bye("the old agent's bye")),
                ScriptedAgent.json(new Message.Error("reset", "the old agent's last error"))));

        assertThat(said).as("said after the old reader's first notice").endsWith("the agent reports: " + heldOn);
        assertThat(seen.status).isEqualTo("connected to 127.0.0.1:" + server.address().getPort());
    }

    /**
     * Collects from a scripted old agent that sends the notice {@code heldOn} and then {@code afterIt} in one write, holds
     * the old connection's reader at the notice while the collector connects to the test's agent instead, then lets the
     * reader go on and waits until it has delivered everything it had. Returns every status said since the old agent's
     * welcome.
     */
    private List<String> replaceTheConnectionWhileItsReaderHolds(String heldOn, byte[] afterIt) throws Exception {
        CountDownLatch releaseReader = new CountDownLatch(1);
        List<String> said = new CopyOnWriteArrayList<>();
        CompletableFuture<Thread> heldReader = holdTheReaderOn(heldOn, releaseReader, said);
        byte[] script = ScriptedAgent.together(ScriptedAgent.json(new Message.Error("reset", heldOn)), afterIt);
        try (ScriptedAgent old = new ScriptedAgent(session(5000), script, type -> new byte[0])) {
            live.connect("127.0.0.1", old.port(), null);
            await(() -> heldReader.isDone() && seen.state == LiveState.COLLECTING);
            try {
                live.connect("127.0.0.1", server.address().getPort(), null);
                await(() -> seen.state == LiveState.CONNECTED);
            } finally {
                releaseReader.countDown();
            }
            Thread reader = heldReader.get();
            reader.join(TimeUnit.SECONDS.toMillis(Patience.SECONDS));
            assertThat(reader.isAlive()).as("the old connection's reader, done delivering").isFalse();
        }
        return said;
    }

    /**
     * A dial the collector abandons (the user connected elsewhere while it waited for the agent's welcome) counts
     * nothing, not even the batch that arrives with the welcome, and the target connected to instead collects as if
     * that dial never was. On the old code the welcome made the abandoned connection the coverage's (and its agent's
     * numbering the coverage's) before the dial saw that its target was left, and the batch counted.
     */
    @Test
    void anAbandonedDialCountsNothingOfTheTargetLeft() throws Exception {
        long leftPc = 0xffffffff8100deadL;
        CountDownLatch welcome = new CountDownLatch(1);
        byte[] batch = ScriptedAgent.batch(new CoverageBatch(5000, TraceMode.PC, false, new long[] {leftPc}));
        try (ScriptedAgent left = new ScriptedAgent(session(5000), batch, type -> new byte[0], welcome)) {
            live.connect("127.0.0.1", left.port(), null);
            within(left.helloHeard(), "the collector's hello, heard by the agent it then leaves");
            live.connect("127.0.0.1", server.address().getPort(), null);
            welcome.countDown();
            await(() -> seen.state == LiveState.CONNECTED); // after the abandoned dial: one request thread
            live.start(plan());

            await(() -> seen.pcs() >= trace.length);
            assertThat(live.hits(leftPc)).as("hits of the PC the left target sent with its welcome").isZero();
            assertThat(live.freeze("live").uniquePcs()).as("the run frozen: the capture's PCs alone")
                    .isEqualTo(uniquePcs);
        }
    }

    /** A kept connection's batch that arrives with its welcome counts: the welcome decides before the reader starts. */
    @Test
    void theBatchThatComesWithTheWelcomeCounts() throws Exception {
        long firstPc = 0xffffffff8100beefL;
        byte[] batch = ScriptedAgent.batch(new CoverageBatch(5000, TraceMode.PC, false, new long[] {firstPc}));
        try (ScriptedAgent agent = new ScriptedAgent(session(5000), batch, type -> new byte[0])) {
            live.connect("127.0.0.1", agent.port(), null);

            await(() -> live.hits(firstPc) == 1);
            // The reader counts the batch as soon as connect returns, the request thread says the state after it.
            await(() -> seen.state == LiveState.COLLECTING);
        }
    }

    /**
     * The agent's start and a workload's start answered after the collector's requests gave up waiting for them (a
     * minute): the state follows the agent, which collects, not the "start refused" of the give-up. The scripted agent
     * sends both answers as soon as it has welcomed the collector, so that they answer no request waiting, as a late
     * answer does (AgentClient hands it to the listener either way) without the test waiting a minute. On the old code
     * the collector stayed CONNECTED and said nothing of either.
     */
    @Test
    void aLateAnswerToAStartMakesTheStateCollecting() throws Exception {
        byte[] lateAnswers = ScriptedAgent.together(ScriptedAgent.json(new Message.Started(session(4))),
                ScriptedAgent.json(new Message.Exercising("vhost-net", true, "vhost-net traffic started")));
        try (ScriptedAgent agent = new ScriptedAgent(null, lateAnswers, type -> new byte[0])) {
            live.connect("127.0.0.1", agent.port(), null);

            await(() -> seen.state == LiveState.COLLECTING && seen.status.equals("vhost-net traffic started"));
        }
    }

    /**
     * Collection that failed on the agent, which stopped the session (error{collect}, no stopped after it): the state
     * follows, CONNECTED with the agent's words. On the old code it stayed COLLECTING.
     */
    @Test
    void aCollectionTheAgentStoppedOnAFailureLeavesTheStateConnected() throws Exception {
        byte[] failed = ScriptedAgent.json(new Message.Error("collect",
                "collection failed and stopped: kcov area unreadable: Input/output error"));
        try (ScriptedAgent agent = new ScriptedAgent(session(4), failed, type -> new byte[0])) {
            live.connect("127.0.0.1", agent.port(), null);

            await(() -> seen.state == LiveState.CONNECTED && seen.status.equals(
                    "the agent reports: collection failed and stopped: kcov area unreadable: Input/output error"));
        }
    }

    /**
     * Holds the connection reader that delivers the agent's {@code notice} (said as "the agent reports: ...") in an
     * observer until {@code release} counts down, and completes with that reader; every status said is added to
     * {@code said}, the held one before the hold.
     */
    private CompletableFuture<Thread> holdTheReaderOn(String notice, CountDownLatch release, List<String> said) {
        CompletableFuture<Thread> held = new CompletableFuture<>();
        live.observe(Runnable::run, new LiveCollector.Observer() {
            @Override
            public void statusChanged(String status) {
                said.add(status);
                if (status.equals("the agent reports: " + notice)) {
                    held.complete(Thread.currentThread());
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
        return held;
    }

    /**
     * An agent scripted frame by frame over a real socket: welcomes one client (with {@code session} running, or
     * none) once {@code welcomeWhen} is open, sends its welcome and {@code afterWelcome} in one write (so that they
     * arrive together, as an agent's batch right after its welcome may), then answers each request with what
     * {@code answers} gives for its type (one write, so that its frames arrive together), until the client closes the
     * connection.
     */
    private static final class ScriptedAgent implements AutoCloseable {
        private final ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final CompletableFuture<Void> helloHeard = new CompletableFuture<>();

        ScriptedAgent(Message.SessionInfo session, byte[] afterWelcome, Function<String, byte[]> answers)
                throws IOException {
            this(session, afterWelcome, answers, new CountDownLatch(0));
        }

        ScriptedAgent(Message.SessionInfo session, byte[] afterWelcome, Function<String, byte[]> answers,
                CountDownLatch welcomeWhen) throws IOException {
            Thread serving = new Thread(() -> serve(session, afterWelcome, answers, welcomeWhen), "test-scripted-agent");
            serving.setDaemon(true);
            serving.start();
        }

        int port() {
            return listening.getLocalPort();
        }

        /** Completes once a client said hello: its dial is under way, waiting for the welcome. */
        CompletableFuture<Void> helloHeard() {
            return helloHeard;
        }

        private void serve(Message.SessionInfo session, byte[] afterWelcome, Function<String, byte[]> answers,
                CountDownLatch welcomeWhen) {
            try (Socket peer = listening.accept()) {
                DataInputStream in = new DataInputStream(peer.getInputStream());
                request(in); // hello
                helloHeard.complete(null);
                welcomeWhen.await();
                peer.getOutputStream().write(together(json(new Message.Welcome(AgentProtocol.VERSION, "scripted agent",
                        "scripted instance", new DumpReplaySource("scripted", TraceMode.PC, new long[0], 1).kernelInfo(),
                        session)), afterWelcome));
                while (true) {
                    peer.getOutputStream().write(answers.apply(request(in)));
                }
            } catch (IOException closed) {
                // the client closed the connection, or the test is over
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** The type of the next request. */
        private static String request(DataInputStream in) throws IOException {
            byte[] frame = new byte[in.readInt()];
            in.readFully(frame);
            return new ObjectMapper().readTree(Arrays.copyOfRange(frame, 1, frame.length)).get("type").asText();
        }

        /** A frame as docs/agent-protocol.md lays it out: length, kind 'J', the message as JSON. */
        static byte[] json(Message message) throws IOException {
            byte[] payload = new ObjectMapper().writeValueAsBytes(message);
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(frame);
            out.writeInt(1 + payload.length);
            out.writeByte('J');
            out.write(payload);
            return frame.toByteArray();
        }

        /** Length, kind 'B', sequence, mode, flags, reserved, entries, the words. */
        static byte[] batch(CoverageBatch batch) throws IOException {
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(frame);
            out.writeInt(1 + 16 + 8 * batch.words().length);
            out.writeByte('B');
            out.writeLong(batch.sequence());
            out.writeByte(0);
            out.writeByte(0);
            out.writeShort(0);
            out.writeInt(batch.words().length);
            for (long word : batch.words()) {
                out.writeLong(word);
            }
            return frame.toByteArray();
        }

        static byte[] together(byte[]... frames) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (byte[] frame : frames) {
                all.writeBytes(frame);
            }
            return all.toByteArray();
        }

        @Override
        public void close() throws IOException {
            listening.close();
        }
    }

    private static Message.SessionInfo session(long nextSequence) {
        return new Message.SessionInfo("pc", 1 << 20, List.of(1), 0, false, 20, "keep", nextSequence, 0);
    }

    /**
     * The answer to a stop given up (a minute), which the agent sends just before its answer to the start asked after
     * it: the collector, waiting for the start, hears that the agent stopped, and must not say so after it said that the
     * agent collects (it does: the start came later). The scripted agent answers the start so; a client that never
     * asked the stop hears the same notice. On the old code the state ended CONNECTED, "the agent stopped collecting".
     */
    @Test
    void aStopHeardBeforeTheAnswerToALaterStartLeavesTheStateCollecting() throws Exception {
        List<String> states = new CopyOnWriteArrayList<>();
        live.observe(Runnable::run, new LiveCollector.Observer() {
            @Override
            public void stateChanged(LiveState state, String status) {
                states.add(state + ": " + status);
            }
        });
        try (ScriptedAgent agent = new ScriptedAgent(null, new byte[0], type -> {
            try {
                return switch (type) {
                    case "layout" -> ScriptedAgent.json(new Message.Modules("", 0, null));
                    case "start" -> ScriptedAgent.together(ScriptedAgent.json(new Message.Stopped(3, 30, 0, 0)),
                            ScriptedAgent.json(new Message.Started(session(4))));
                    default -> ScriptedAgent.json(new Message.Error(type, "not in this script"));
                };
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        })) {
            live.connect("127.0.0.1", agent.port(), null);
            await(() -> seen.state == LiveState.CONNECTED);
            live.start(plan());
            await(() -> states.stream().anyMatch(state -> state.startsWith("COLLECTING")));
            // After the notice.
            within(live.exercise("vhost-net", true).handle((done, refused) -> null), "the exercise's answer");

            assertThat(states.get(states.size() - 1)).as("the last state said, of " + states)
                    .startsWith("COLLECTING: collecting");
        }
    }

    @Test
    void aLostConnectionIsRetriedAndARestartedAgentIsFollowed() throws Exception {
        connectAndCollect();
        await(() -> seen.pcs() == trace.length);
        int port = server.address().getPort();

        server.close();
        await(() -> seen.state == LiveState.RECONNECTING);
        source = new DumpReplaySource("capture", TraceMode.PC, trace, 5000);
        server = AgentServer.start(new InetSocketAddress("127.0.0.1", port), null, source, line -> { });
        await(() -> seen.state == LiveState.CONNECTED);
        live.start(plan());

        await(() -> seen.pcs() == 2L * trace.length);
        assertThat(seen.totals.uniquePcs()).isEqualTo(uniquePcs.length);
    }

    @Test
    void comparisonsFreezeIntoACmpRunSummarizedAsTheirDumpWouldBe() throws Exception {
        long[] records = new long[4 * 300];
        for (int i = 0; i < 300; i++) {
            records[4 * i] = 6; // KCOV_CMP_SIZE(3): an 8-byte comparison of two variables
            records[4 * i + 1] = i;
            records[4 * i + 2] = 0x42;
            records[4 * i + 3] = 0xffffffff81000000L + 16L * (i % 7);
        }
        live.connectTo(new DumpReplaySource("cmp", TraceMode.CMP, records, 100));
        await(() -> seen.state == LiveState.CONNECTED);
        live.start(new CollectionPlan(TraceMode.CMP, 1 << 20, new int[] {1}, 0, false, 20, true));

        await(() -> seen.totals != null && seen.totals.cmpRecords() == 300);
        assertThat(seen.pcs()).isZero();
        RunInput frozen = live.freeze("cmp");
        assertThat(frozen.isComparisonMode()).isTrue();
        assertThat(frozen.entries()).isEqualTo(300);
        // Summarized as a dump of the same records is: same ips, records, pairs and constants per ip.
        ComparisonSummary fromLive = frozen.comparisons();
        ComparisonSummary dumped = ComparisonSummarizer.summarize(new CmpRecords(types(records), column(records, 1),
                column(records, 2), column(records, 3)));
        assertThat(frozen.uniquePcs()).containsExactly(dumped.ips()).hasSize(7);
        assertThat(fromLive.rawRecords()).containsExactly(dumped.rawRecords());
        assertThat(fromLive.rawDistinct()).containsExactly(dumped.rawDistinct());
        assertThat(fromLive.rawPairCount()).containsExactly(dumped.rawPairCount());
        assertThat(fromLive.rawArg1()).containsExactly(dumped.rawArg1());
        assertThat(fromLive.rawArg2()).containsExactly(dumped.rawArg2());
        assertThat(fromLive.rawConstant()).containsExactly(dumped.rawConstant());
        assertThat(fromLive.rawConstantEqual()).containsExactly(dumped.rawConstantEqual());
        assertThat(fromLive.totalRecords()).isEqualTo(300);
    }

    private static byte[] types(long[] records) {
        byte[] out = new byte[records.length / 4];
        for (int r = 0; r < out.length; r++) {
            out[r] = (byte) records[4 * r];
        }
        return out;
    }

    private static long[] column(long[] records, int word) {
        long[] out = new long[records.length / 4];
        for (int r = 0; r < out.length; r++) {
            out[r] = records[4 * r + word];
        }
        return out;
    }

    @Test
    void aSourceServedInProcessIsCollectedLikeARemoteAgent() throws Exception {
        DumpReplaySource here = new DumpReplaySource("here", TraceMode.PC, trace, 50_000);
        live.connectTo(here);
        await(() -> seen.state == LiveState.CONNECTED);
        live.start(plan());

        await(() -> seen.pcs() == trace.length);
        assertThat(seen.kernel.release()).contains("replay of here");
        live.disconnect();
        await(() -> seen.state == LiveState.DISCONNECTED);
        assertThat(here.exhausted()).isTrue();
    }

    @Test
    void aRefusedConnectionIsNamedAndNothingIsRetried() throws Exception {
        int port = server.address().getPort();
        server.close();

        live.connect("127.0.0.1", port, null);

        await(() -> seen.status.startsWith("cannot connect to 127.0.0.1:" + port));
        assertThat(seen.state).isEqualTo(LiveState.DISCONNECTED);
    }

    @Test
    void commandsWithoutAConnectionSaySo() throws Exception {
        live.start(plan());
        await(() -> seen.status.equals("not connected to an agent"));
        assertThat(seen.state).isEqualTo(LiveState.DISCONNECTED);
    }
}
