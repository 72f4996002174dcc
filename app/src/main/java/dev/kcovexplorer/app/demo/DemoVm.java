package dev.kcovexplorer.app.demo;

import dev.kcovexplorer.app.live.LiveCollector;
import dev.kcovexplorer.app.live.LiveState;
import dev.kcovexplorer.app.model.ErrorText;
import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.kcov.agent.CollectionPlan;
import dev.kcovexplorer.kcov.agent.Message;
import dev.kcovexplorer.symbolizer.index.CacheDirectory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The demo VM, without a window: boots the demo kernel under QEMU with the coverage agent inside (listening
 * on two forwarded ports, one session for the guest's xHCI USB buses, one for the vhost common handle),
 * follows the boot on the serial console, connects a {@link LiveCollector} to each session with the token
 * it made, and then acts on the guest: USB devices plugged and unplugged through QMP, vhost-net traffic
 * started and stopped through the agent. Every action goes on a {@link DemoTimeline}. Stop powers the guest
 * off; no QEMU outlives this object or this JVM ({@link VmReaper}).
 *
 * <p>Threads: every command runs on one demo thread in the order asked, so a slow QMP reply never blocks the
 * caller and commands never race; the console is read on its own thread. Observers are called through the
 * executor they registered with.
 */
public final class DemoVm implements AutoCloseable {
    /**
     * How long the boot may stay at one stage (QEMU started, kernel booting, guest up, agent listening) before it is
     * given up. A stage, not the whole boot: a host too busy to give the guest much CPU slows every stage, and the
     * boot with them, without anything being wrong (under TCG, Start to running took 18 s idle, 72 s beside six CPU
     * hogs, 279 s in a test suite beside other work, and a CI run gave up at a 300 s limit on the whole boot), while a
     * guest stuck at one point is still told within this.
     */
    static final long STAGE_SECONDS = 300;
    /** The longest a boot can take before it is running or failed: each stage at its limit, after a hung KVM probe. */
    public static final long LONGEST_BOOT_SECONDS = KvmProbe.HANG_SECONDS + 4 * STAGE_SECONDS;
    private static final long STOP_SECONDS = 10;
    /**
     * How long what freezes coverage into a run (the window's "Freeze as Run", a script's freeze) waits for it: the
     * freeze runs on the demo thread after the commands asked before it, a QMP command a slow guest answers late among
     * them.
     */
    public static final long FREEZE_SECONDS = 30;
    private static final int CONNECT_ATTEMPTS = 5;
    /** The vhost session's area: a second of unpaced vhost-net traffic under TCG, some 60 drains of paced traffic. */
    static final int VHOST_AREA_WORDS = 4 << 20;

    /** What the demo tells its window or command. */
    public interface Observer {
        /** The state changed; {@code message} says why or what happens now. */
        default void stateChanged(DemoState state, String message) {
        }

        /** One line of the guest's serial console, and how far the boot has come with it (0 to 1). */
        default void consoleLine(String line, double bootProgress) {
        }

        /** An action went on the time line, or the PCs of the newest one grew. */
        default void timelineChanged(List<TimelineMarker> markers) {
        }

        /** The devices plugged and whether vhost-net traffic runs, after each action. */
        default void guestChanged(Set<DemoDevice> plugged, boolean vhostTraffic) {
        }

        /** An action was refused or failed; the VM goes on. */
        default void actionFailed(String message) {
        }
    }

    private record Subscription(Executor executor, Observer observer) {
    }

    private final DemoVmOptions options;
    private final Path runsRoot;
    private final KvmProbe kvmProbe;
    private final long stageSeconds;
    private final ScheduledExecutorService commands = demoThread();
    private final LiveCollector usb = new LiveCollector();
    private final LiveCollector vhost = new LiveCollector();
    private final Connection usbConnection = new Connection(usb, true);
    private final Connection vhostConnection = new Connection(vhost, false);
    private final List<Subscription> observers = new CopyOnWriteArrayList<>();
    private volatile DemoState state = DemoState.STOPPED;
    private volatile String message = "not started";
    // Owned by the demo thread.
    private KernelDrivers drivers;
    private RunDirectory run;
    private Process vm;
    /** The QEMU launched last, kept after it ended: only its console lines are shown. */
    private Process newestBoot;
    private BootConsole console;
    private Thread consoleReader;
    private QmpClient qmp;
    private boolean kvm;
    private boolean probingKvm;
    /**
     * The KVM probe boot's QEMU ended before the guest was up, and TCG boots it now: KVM is judged not to work here
     * once TCG gets the guest up, not before (a kernel that panics under both says nothing against KVM).
     */
    private boolean kvmJudgedByTcg;
    private int usbPort;
    private int vhostPort;
    private long startedNanos;
    private long connectedNanos;
    private DemoTimeline timeline;
    private final Set<DemoDevice> plugged = EnumSet.noneOf(DemoDevice.class);
    private boolean vhostTraffic;
    private boolean stickAdded;
    private boolean usbNetAdded;
    private volatile String usbSources = "USB buses";
    private volatile String vhostSources = "common 0x42";

    /**
     * @param runsRoot where boots keep their run directories (orphans of killed programs are swept from it)
     * @param kvmVerdict where the verdict of the KVM probe boot is kept
     */
    public DemoVm(DemoVmOptions options, Path runsRoot, Path kvmVerdict) {
        this(options, runsRoot, new KvmProbe(kvmVerdict));
    }

    DemoVm(DemoVmOptions options, Path runsRoot, KvmProbe kvmProbe) {
        this(options, runsRoot, kvmProbe, STAGE_SECONDS);
    }

    /** @param stageSeconds how long the boot may stay at one stage ({@link #STAGE_SECONDS}; tests shorten it) */
    DemoVm(DemoVmOptions options, Path runsRoot, KvmProbe kvmProbe, long stageSeconds) {
        this.options = options;
        this.runsRoot = runsRoot;
        this.kvmProbe = kvmProbe;
        this.stageSeconds = stageSeconds;
        usb.observe(commands, usbConnection);
        vhost.observe(commands, vhostConnection);
    }

    /**
     * The demo thread. Its timers (each boot stage's {@value #STAGE_SECONDS} s timeout) are dropped when it shuts down:
     * kept, they held the closed VM, its observers and so the whole window behind them (session, coverage, views) until
     * the last one fired, minutes after the window closed.
     */
    private static ScheduledExecutorService demoThread() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "demo-vm");
            thread.setDaemon(true);
            return thread;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return executor;
    }

    /**
     * The usual places: run directories in the cache; the KVM verdict in the user's cache whatever the cache
     * directory, since it is a fact about this host, and finding it again costs a boot that hangs for
     * {@value KvmProbe#HANG_SECONDS} s on hosts like these.
     */
    public static DemoVm withCacheDirectories(DemoVmOptions options) {
        return new DemoVm(options, CacheDirectory.get().resolve("vm").resolve("demo-runs"),
                CacheDirectory.ofUser().resolve("vm").resolve("kvm-verdict"));
    }

    /** Tells {@code observer}, through {@code executor}, everything from now on. */
    public void observe(Executor executor, Observer observer) {
        observers.add(new Subscription(executor, observer));
    }

    public DemoVmOptions options() {
        return options;
    }

    public DemoState state() {
        return state;
    }

    /** What the last state change said. */
    public String message() {
        return message;
    }

    /** The live collection of the guest's USB buses (hub_event, URB completions). */
    public LiveCollector usbCollector() {
        return usb;
    }

    /** The live collection of the vhost common handle (vhost_worker for the agent's vhost-net device). */
    public LiveCollector vhostCollector() {
        return vhost;
    }

    /** Why {@code device} cannot be offered with this kernel, or null. */
    public String unsupported(DemoDevice device) {
        KernelDrivers known = knownDrivers();
        return known == null ? null : known.missing(device);
    }

    /** Boots the guest; the state says how far it got, or why it failed. */
    public void start() {
        onDemoThread(this::boot);
    }

    /** Powers the guest off (after the last batches of both sessions arrived); the live coverage stays. */
    public CompletableFuture<Void> stop() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!onDemoThread(() -> {
            powerOff("powered off");
            done.complete(null);
        })) {
            done.complete(null);
        }
        return done;
    }

    /** Plugs {@code device} into the guest's xHCI controller. */
    public CompletableFuture<Boolean> plug(DemoDevice device) {
        return act(DemoAction.plug(device));
    }

    public CompletableFuture<Boolean> unplug(DemoDevice device) {
        return act(DemoAction.unplug(device));
    }

    /** Starts or stops vhost-net traffic under the vhost session's common handle. */
    public CompletableFuture<Boolean> vhostTraffic(boolean on) {
        return act(DemoAction.vhost(on));
    }

    /**
     * Does {@code action}; completes with whether it was done (a refusal is also told to the observers).
     * {@code freeze} is not an action on the guest: see {@link #freezeSinceLastFreeze}.
     */
    public CompletableFuture<Boolean> act(DemoAction action) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        if (!onDemoThread(() -> done.complete(perform(action)))) {
            done.complete(false);
        }
        return done;
    }

    /** The coverage of the time line's action {@code markerId} (until the next action or now), as a run named {@code label}. */
    public CompletableFuture<RunInput> freezeAction(int markerId, String label) {
        return onDemoThreadWith(() -> timeline == null ? null : timeline.interval(markerId, label));
    }

    /** What arrived from both sources since the previous such freeze (or since connecting), as a run named {@code label}. */
    public CompletableFuture<RunInput> freezeSinceLastFreeze(String label) {
        return onDemoThreadWith(() -> timeline == null ? null : timeline.sinceLastFreeze(label));
    }

    /**
     * Waits for a freeze ({@link #freezeAction}, {@link #freezeSinceLastFreeze}) as long as {@link #FREEZE_SECONDS}:
     * its run, or null when there was nothing to freeze. The window's "Freeze as Run" and a script's freeze both wait
     * here, so a freeze that fails or does not finish says the same, naming {@code what} was frozen.
     */
    public static RunInput awaitFreeze(CompletableFuture<RunInput> freeze, String what) {
        try {
            return freeze.get(FREEZE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while freezing " + what);
        } catch (TimeoutException e) {
            throw new IllegalStateException("freezing " + what + " did not finish in " + FREEZE_SECONDS + " s");
        } catch (ExecutionException e) {
            throw new IllegalStateException("freezing " + what + ": " + ErrorText.of(e.getCause()));
        }
    }

    /** Seconds since both sessions were collecting, or 0 before. */
    public double secondsConnected() {
        long at = connectedNanos;
        return at == 0 ? 0 : (System.nanoTime() - at) / 1e9;
    }

    /** Seconds from Start to both sessions collecting, for the figures; 0 before. */
    public double bootSeconds() {
        long at = connectedNanos;
        return at == 0 ? 0 : (at - startedNanos) / 1e9;
    }

    /** The last lines of the guest's console, oldest first (what a failure shows). */
    public List<String> lastConsoleLines() {
        BootConsole current = console;
        return current == null ? List.of() : current.lastLines();
    }

    // ---- the demo thread ----------------------------------------------------------------------------------

    private void boot() {
        if (state.hasVm()) {
            return;
        }
        String problem = preflight();
        if (problem != null) {
            setState(DemoState.FAILED, problem);
            return;
        }
        startedNanos = System.nanoTime();
        connectedNanos = 0;
        int orphans = VmReaper.killOrphans(runsRoot);
        try {
            drivers = KernelDrivers.of(options.kernelConfig());
            Path initrd = initramfs();
            setState(DemoState.STARTING_QEMU, "preparing the agent's start (the first time only: a few seconds)");
            run = RunDirectory.create(runsRoot, options, AgentArchive.prepare(options, runsRoot.getParent().resolve("agent")));
            Boolean verdict = kvmProbe.verdict();
            kvm = switch (options.accel()) {
                case KVM -> true;
                case TCG -> false;
                case AUTO -> kvmProbe.deviceUsable() && !Boolean.FALSE.equals(verdict);
            };
            probingKvm = options.accel() == DemoVmOptions.Accel.AUTO && kvm && verdict == null;
            kvmJudgedByTcg = false;
            launch(initrd, orphans);
        } catch (IOException | RuntimeException e) {
            fail("cannot start the demo VM: " + ErrorText.of(e));
        }
    }

    /** The mistakes a presenter can fix, before anything starts: each says what to do. */
    private String preflight() {
        if (!Files.isRegularFile(options.bzImage())) {
            return "no demo kernel at " + options.bzImage() + ": build it with \"Build demo kernel\u2026\" "
                    + "(sample-data/kernel/build), or choose a kcov kernel (--kernel)";
        }
        if (findQemu() == null) {
            return "QEMU is not installed (no " + options.qemu() + " on PATH): install it with "
                    + "apt-get install qemu-system-x86";
        }
        if (options.repository() == null || !Files.isExecutable(options.repository().resolve("sample-data/vm/initramfs"))) {
            return "the VM scripts of sample-data/vm are not here: run the demo from a KCOV Explorer checkout";
        }
        if (options.agentClassPath().isEmpty()) {
            return "the agent's classes (kcov module, JNA, Jackson) are not on this program's class path";
        }
        for (int port : new int[] {options.usbPort(), options.vhostPort()}) {
            if (port != 0 && !Ports.isFree(port)) {
                return "port " + port + " is in use on this machine: the agent's forwarded port must be free "
                        + "(choose another, or stop what listens on it)";
            }
        }
        return null;
    }

    private String findQemu() {
        String qemu = options.qemu();
        if (qemu.contains("/")) {
            return Files.isExecutable(Path.of(qemu)) ? qemu : null;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, qemu))) {
                return Path.of(dir, qemu).toString();
            }
        }
        return null;
    }

    /** The test VM's initramfs, made by sample-data/vm/initramfs (it keeps one in the cache). */
    private Path initramfs() throws IOException {
        Path out = runsRoot.getParent().resolve("initramfs.cpio.gz");
        Process build = new ProcessBuilder(options.repository().resolve("sample-data/vm/initramfs").toString(),
                out.toString()).redirectErrorStream(true).start();
        String output = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (build.waitFor() != 0) {
                throw new IOException("sample-data/vm/initramfs failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making the initramfs");
        }
        return out;
    }

    private void launch(Path initrd, int orphans) throws IOException {
        usbPort = options.usbPort() != 0 ? options.usbPort() : Ports.free();
        vhostPort = options.vhostPort() != 0 ? options.vhostPort() : Ports.free();
        List<String> command = QemuCommand.arguments(options, findQemu(), kvm, run.path(), initrd, usbPort, vhostPort);
        command.addAll(List.of("-pidfile", run.pidFile().toString()));
        // The serial log is opened here, on the demo thread, not by the console thread: a killed probe boot's reader
        // that started late opened it after the probe's log was set aside, emptying the TCG boot's.
        Writer log = Files.newBufferedWriter(run.serialLog());
        Process started;
        try {
            started = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectError(run.qemuErrors().toFile())
                    .start();
        } catch (IOException e) {
            log.close();
            throw e;
        }
        VmReaper.register(started);
        vm = started;
        newestBoot = started;
        console = new BootConsole(2);
        plugged.clear();
        vhostTraffic = false;
        stickAdded = false;
        usbNetAdded = false;
        timeline = null;
        setState(DemoState.STARTING_QEMU, "starting QEMU (" + (kvm ? "KVM" : "TCG") + (probingKvm ? ", trying KVM once" : "")
                + ")" + (orphans > 0 ? "; stopped " + orphans + " VM(s) left by a program that was killed" : ""));
        BootConsole lines = console;
        Thread reader = new Thread(() -> readConsole(started, lines, log), "demo-vm-console");
        reader.setDaemon(true);
        reader.start();
        consoleReader = reader;
        started.onExit().thenRun(() -> onDemoThread(() -> exited(started, initrd)));
        watchStage(started, DemoState.STARTING_QEMU);
        if (probingKvm) {
            commands.schedule(() -> kvmProbeTimedOut(started, initrd), kvmProbe.hangSeconds(), TimeUnit.SECONDS);
        }
    }

    /**
     * Console thread: every line to the serial log and the boot's stage, then to the demo thread for the observers. A
     * killed boot's reader may still be reading what its QEMU printed when the next boot begins (it lags on a busy
     * machine): the log it writes is set aside by then, and the demo thread shows the lines of the newest boot alone.
     */
    private void readConsole(Process process, BootConsole lines, Writer serialLog) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                Writer log = serialLog) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                log.write(line);
                log.write('\n');
                log.flush();
                DemoState stage = lines.accept(line);
                String shown = line;
                double progress = lines.progress();
                onDemoThread(() -> consoleRead(process, shown, progress, stage));
            }
        } catch (IOException e) {
            // QEMU is gone: exited() says how
        }
    }

    private void consoleRead(Process process, String line, double progress, DemoState stage) {
        if (process == newestBoot) {
            emit(observer -> observer.consoleLine(line, progress));
            consoleAdvanced(process, stage);
        }
    }

    private void consoleAdvanced(Process process, DemoState stage) {
        if (process != vm || !state.isBooting()) {
            return;
        }
        if (console.failure() != null) {
            // A panicking guest ends QEMU itself (panic=-1, -no-reboot) after printing its trace: exited() then
            // shows it all. A guest that stays (an init that failed) is stopped a moment later.
            commands.schedule(() -> {
                if (process == vm && state.hasVm() && state != DemoState.STOPPING) {
                    fail(console.failure());
                }
            }, 3, TimeUnit.SECONDS);
            return;
        }
        if (stage.compareTo(state) > 0) {
            if (stage.compareTo(DemoState.GUEST_READY) >= 0 && probingKvm) {
                kvmProbe.record(true);
                probingKvm = false;
            }
            String verdict = "";
            if (stage.compareTo(DemoState.GUEST_READY) >= 0 && kvmJudgedByTcg) {
                kvmJudgedByTcg = false;
                verdict = keepKvmOff(); // TCG got the guest up where KVM's QEMU ended
            }
            setState(stage, String.format(java.util.Locale.ROOT, "%s (%.1f s)%s", stage == DemoState.AGENT_LISTENING
                    ? "agent listening; connecting" : stage.label(), (System.nanoTime() - startedNanos) / 1e9,
                    verdict.isEmpty() ? "" : "; " + verdict));
            watchStage(process, stage);
            if (stage == DemoState.AGENT_LISTENING) {
                usbConnection.attempts = 0;
                vhostConnection.attempts = 0;
                usb.connect("127.0.0.1", usbPort, run.token());
                vhost.connect("127.0.0.1", vhostPort, run.token());
            }
        }
    }

    private void kvmProbeTimedOut(Process process, Path initrd) {
        if (process != vm || !probingKvm || !state.isBooting()) {
            return;
        }
        kill(process);
        // At most 2 s for the hung boot's last lines to reach its serial log. The observers do not get those: the demo
        // thread takes them after this call, when the TCG boot is the newest (consoleRead).
        awaitConsoleReader();
        bootWithTcg(initrd, "KVM did not boot the guest within " + kvmProbe.hangSeconds()
                + " s (nested KVM hangs on some hosts): booting with TCG, and " + keepKvmOff());
    }

    /** Keeps the verdict that KVM does not work on this host; says what that means for the next starts. */
    private String keepKvmOff() {
        return kvmProbe.record(false) ? "KVM stays off on this host from now on"
                : "KVM is tried again next time (the verdict could not be kept)";
    }

    /** The KVM probe boot did not get through: TCG boots now. */
    private void bootWithTcg(Path initrd, String why) {
        probingKvm = false;
        kvm = false;
        try {
            run.setProbeSerialLogAside();
            launch(initrd, 0);
            setState(DemoState.STARTING_QEMU, why);
        } catch (IOException e) {
            fail("cannot restart QEMU with TCG: " + ErrorText.of(e));
        }
    }

    /** Waits a moment for the console thread to read QEMU's last lines, QEMU having ended. */
    private void awaitConsoleReader() {
        try {
            consoleReader.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Fails the boot of {@code process} if it is still at {@code stage} after {@link #stageSeconds}. */
    private void watchStage(Process process, DemoState stage) {
        commands.schedule(() -> {
            if (process == vm && state == stage) {
                fail(String.format(java.util.Locale.ROOT,
                        "the guest did not get past \"%s\" within %d s (%.0f s after Start)", stage.label(), stageSeconds,
                        (System.nanoTime() - startedNanos) / 1e9));
            }
        }, stageSeconds, TimeUnit.SECONDS);
    }

    /**
     * QEMU ended. Expected after Stop; otherwise the reason is in its errors or on the console — or, when it was the
     * KVM probe boot, the guest boots again with TCG (KVM is judged not to work here if that gets it up).
     */
    private void exited(Process process, Path initrd) {
        if (process != vm || !state.hasVm() || state == DemoState.STOPPING) {
            return;
        }
        awaitConsoleReader(); // the last lines it printed are the story
        String errors = read(run.qemuErrors());
        String reason = console.failure();
        if (reason == null) {
            reason = QemuErrors.explain(errors, usbPort, vhostPort);
        }
        if (reason == null) {
            reason = "QEMU exited (status " + process.exitValue() + ")"
                    + (state.isBooting() ? " before the guest came up" : ": the guest powered off");
        }
        if (probingKvm && state.isBooting()) {
            // A host whose nested KVM refuses the guest's CPU ("failed to set MSR 0x10a") ends QEMU at once: as much
            // a KVM that does not work here as one that hangs. But so does a kernel that panics (or a QEMU that fails
            // for a reason of its own), under TCG too: the verdict against KVM waits for TCG to get the guest up. A
            // port taken meanwhile is this machine's doing, whatever TCG does: no verdict, the next start tries KVM.
            kvmJudgedByTcg = !QemuErrors.portInUse(errors);
            bootWithTcg(initrd, (kvmJudgedByTcg ? "KVM could not start the guest (" : "QEMU could not start with KVM (")
                    + reason + "): booting with TCG");
            return;
        }
        fail(reason);
    }

    /** Both sessions' connection events, on the demo thread. */
    private final class Connection implements LiveCollector.Observer {
        private final LiveCollector collector;
        private final boolean usbBuses;
        private List<Message.UsbBus> buses = List.of();
        private LiveState live = LiveState.DISCONNECTED;
        private int attempts;

        Connection(LiveCollector collector, boolean usbBuses) {
            this.collector = collector;
            this.usbBuses = usbBuses;
        }

        @Override
        public void kernelKnown(Message.KernelInfo kernel) {
            buses = kernel.usbBuses() == null ? List.of() : kernel.usbBuses();
        }

        @Override
        public void stateChanged(LiveState next, String text) {
            live = next;
            if (state != DemoState.AGENT_LISTENING) {
                return;
            }
            if (next == LiveState.CONNECTED) {
                collector.start(plan());
            } else if (next == LiveState.COLLECTING && usbConnection.live == LiveState.COLLECTING
                    && vhostConnection.live == LiveState.COLLECTING) {
                connected();
            } else if (next == LiveState.DISCONNECTED && ++attempts < CONNECT_ATTEMPTS) {
                // The guest's network or the agent's first handshake can be slow right after it listens.
                commands.schedule(() -> {
                    if (state == DemoState.AGENT_LISTENING) {
                        collector.connect("127.0.0.1", usbBuses ? usbPort : vhostPort, run.token());
                    }
                }, 1, TimeUnit.SECONDS);
            } else if (next == LiveState.DISCONNECTED) {
                fail("cannot reach the agent in the guest after " + attempts + " attempts: " + text);
            }
        }

        @Override
        public void updated(LiveCollector.Tick tick) {
            if (tick.coverageChanged()) {
                timelineGrew();
            }
        }

        @Override
        public void statusChanged(String text) {
            if (text.startsWith("start refused") && state == DemoState.AGENT_LISTENING) {
                fail("the agent in the guest refused to collect: " + text);
            }
        }

        private CollectionPlan plan() {
            if (!usbBuses) {
                vhostSources = "common 0x" + Long.toHexString(DemoVmOptions.VHOST_COMMON_HANDLE);
                return new CollectionPlan(TraceMode.PC, VHOST_AREA_WORDS, new int[0], DemoVmOptions.VHOST_COMMON_HANDLE,
                        false, 100, true);
            }
            int[] xhci = buses.stream().filter(bus -> bus.controller() != null && bus.controller().contains("xHCI"))
                    .mapToInt(Message.UsbBus::bus).toArray();
            // The VM has one USB controller, the qemu-xhci its devices are plugged into: its USB 2 and USB 3 root
            // hubs are buses 1 and 2 (dummy_hcd registers later). An agent that names no buses gets those.
            int[] chosen = xhci.length > 0 ? xhci : buses.isEmpty() ? new int[] {1, 2}
                    : buses.stream().mapToInt(Message.UsbBus::bus).toArray();
            usbSources = chosen.length == 1 ? "USB bus " + chosen[0] : "USB buses " + java.util.Arrays.toString(chosen)
                    .replaceAll("[\\[\\]]", "");
            return new CollectionPlan(TraceMode.PC, 1 << 20, chosen, 0, false, 100, true);
        }
    }

    private void connected() {
        connectedNanos = System.nanoTime();
        timeline = new DemoTimeline(source -> (source == DemoTimeline.Source.USB ? usb : vhost).freeze("snapshot"),
                source -> source == DemoTimeline.Source.USB ? usbSources : vhostSources,
                source -> (source == DemoTimeline.Source.USB ? usb : vhost).losses());
        try {
            qmp = QmpClient.connect(run.qmpSocket(), 10_000);
        } catch (IOException e) {
            fail("QEMU's monitor (QMP) does not answer: " + ErrorText.of(e));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        setState(DemoState.RUNNING, String.format(java.util.Locale.ROOT,
                "running: agent connected %.1f s after Start; collecting %s and %s", bootSeconds(), usbSources,
                vhostSources));
        emitGuest();
    }

    private boolean perform(DemoAction action) {
        if (action.kind() == DemoAction.Kind.FREEZE) {
            refuse("freeze is not an action on the guest: see freezeSinceLastFreeze");
            return false;
        }
        if (state != DemoState.RUNNING) {
            refuse(action.label() + ": the demo VM is not running (" + state.label() + ")");
            return false;
        }
        DemoTimeline.Start start = timeline.begin(action, secondsConnected());
        try {
            switch (action.kind()) {
                case PLUG -> {
                    if (plugged.contains(action.device())) {
                        refuse("the " + action.device().title() + " is plugged in already");
                        return false;
                    }
                    String missing = drivers.missing(action.device());
                    if (missing != null) {
                        refuse(missing);
                        return false;
                    }
                    addDevice(action.device());
                }
                case UNPLUG -> {
                    if (!plugged.contains(action.device())) {
                        refuse("the " + action.device().title() + " is not plugged in");
                        return false;
                    }
                    removeDevice(action.device());
                }
                case VHOST_ON, VHOST_OFF -> {
                    boolean on = action.kind() == DemoAction.Kind.VHOST_ON;
                    String missing = on ? drivers.missingVhostNet() : null;
                    if (missing != null) {
                        refuse(missing);
                        return false;
                    }
                    vhost.exercise("vhost-net", on).get(60, TimeUnit.SECONDS);
                    vhostTraffic = on;
                }
                default -> throw new IllegalStateException(action.kind().toString());
            }
        } catch (QmpClient.QmpException e) {
            refuse("QEMU refused to " + (action.kind() == DemoAction.Kind.PLUG ? "plug" : "unplug") + " the "
                    + action.device().title() + ": " + e.getMessage());
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            refuse(action.label() + " failed: " + ErrorText.of(e.getCause()));
            return false;
        } catch (IOException | java.util.concurrent.TimeoutException e) {
            refuse(action.label() + " failed: " + ErrorText.of(e));
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        timeline.record(start);
        emit(observer -> observer.timelineChanged(timeline.markers()));
        emitGuest();
        return true;
    }

    private void addDevice(DemoDevice device) throws IOException, InterruptedException {
        Map<String, Object> arguments = new java.util.LinkedHashMap<>(Map.of("driver", device.driver(), "bus", "xhci.0",
                "id", device.qmpId()));
        if (device == DemoDevice.STORAGE) {
            if (!stickAdded) {
                qmp.execute("blockdev-add", Map.of("driver", "raw", "node-name", "kx-stick",
                        "file", Map.of("driver", "file", "filename", run.stick().toString())));
                stickAdded = true;
            }
            arguments.put("drive", "kx-stick");
        }
        if (device == DemoDevice.NETWORK) {
            if (!usbNetAdded) {
                qmp.execute("netdev_add", Map.of("type", "user", "id", "kx-usbnet"));
                usbNetAdded = true;
            }
            arguments.put("netdev", "kx-usbnet");
        }
        qmp.execute("device_add", arguments);
        plugged.add(device);
    }

    private void removeDevice(DemoDevice device) throws IOException, InterruptedException {
        qmp.execute("device_del", Map.of("id", device.qmpId()));
        if (!qmp.awaitDeviceEvent("DEVICE_DELETED", device.qmpId(), 10_000)) {
            throw new IOException("the guest did not release the " + device.title() + " within 10 s");
        }
        plugged.remove(device);
    }

    private void refuse(String text) {
        emit(observer -> observer.actionFailed(text));
    }

    private void timelineGrew() {
        DemoTimeline current = timeline;
        if (current != null && state == DemoState.RUNNING) {
            List<TimelineMarker> markers = current.markers();
            if (!markers.isEmpty()) {
                emit(observer -> observer.timelineChanged(markers));
            }
        }
    }

    private void emitGuest() {
        Set<DemoDevice> now = plugged.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(plugged));
        boolean traffic = vhostTraffic;
        emit(observer -> observer.guestChanged(now, traffic));
    }

    /** Stops traffic and collection (every batch in), then QEMU: QMP quit, a kill if it does not go. */
    private void powerOff(String why) {
        if (!state.hasVm() && vm == null) {
            return;
        }
        setState(DemoState.STOPPING, "powering the guest off");
        if (vhostTraffic) {
            await(vhost.exercise("vhost-net", false));
        }
        await(usb.stop());
        await(vhost.stop());
        usb.disconnect();
        vhost.disconnect();
        if (qmp != null) {
            try {
                qmp.execute("quit", Map.of());
            } catch (IOException | InterruptedException e) {
                // the kill below does it
            }
        }
        release();
        setState(DemoState.STOPPED, why);
    }

    private void fail(String reason) {
        kill(vm);
        usb.disconnect();
        vhost.disconnect();
        release();
        setState(DemoState.FAILED, reason);
    }

    /** Waits for QEMU to end (killing it when it does not), closes QMP, removes the run directory. */
    private void release() {
        Process process = vm;
        vm = null;
        if (process != null) {
            try {
                if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                    kill(process);
                }
            } catch (InterruptedException e) {
                kill(process);
                Thread.currentThread().interrupt();
            }
        }
        if (qmp != null) {
            qmp.close();
            qmp = null;
        }
        if (run != null) {
            run.delete();
            run = null;
        }
        plugged.clear();
        vhostTraffic = false;
    }

    private static void kill(Process process) {
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(STOP_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void await(CompletableFuture<?> future) {
        try {
            future.get(STOP_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            // powering off anyway
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private KernelDrivers knownDrivers() {
        if (drivers == null) {
            try {
                drivers = KernelDrivers.of(options.kernelConfig());
            } catch (IOException e) {
                return null;
            }
        }
        return drivers;
    }

    private void setState(DemoState next, String text) {
        state = next;
        message = text;
        emit(observer -> observer.stateChanged(next, text));
    }

    private void emit(Consumer<Observer> event) {
        for (Subscription subscription : observers) {
            subscription.executor().execute(() -> event.accept(subscription.observer()));
        }
    }

    private boolean onDemoThread(Runnable work) {
        try {
            commands.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    // A bug must not leave the VM booting forever with no one told.
                    fail("the demo VM's controller failed: " + ErrorText.of(e));
                }
            });
            return true;
        } catch (RejectedExecutionException closed) {
            return false;
        }
    }

    private <T> CompletableFuture<T> onDemoThreadWith(java.util.function.Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (!onDemoThread(() -> result.complete(work.get()))) {
            result.complete(null);
        }
        return result;
    }

    /** Powers the guest off (waiting at most a few seconds per step) and ends the collections and the demo thread. */
    @Override
    public void close() {
        try {
            stop().get(3 * STOP_SECONDS + 5, TimeUnit.SECONDS);
        } catch (Exception e) {
            onDemoThread(() -> kill(vm));
        }
        commands.shutdown();
        usb.close();
        vhost.close();
    }

    /** Lines a failure message shows of the console, with the message. */
    public String failureDetails() {
        List<String> lines = lastConsoleLines();
        List<String> tail = lines.subList(Math.max(0, lines.size() - 12), lines.size());
        return tail.isEmpty() ? message : message + "\nlast console lines:\n" + String.join("\n", new ArrayList<>(tail));
    }
}
