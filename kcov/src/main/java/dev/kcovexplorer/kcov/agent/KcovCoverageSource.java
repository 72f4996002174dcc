package dev.kcovexplorer.kcov.agent;

import dev.kcovexplorer.kcov.ModuleLayout;
import dev.kcovexplorer.kcov.ModuleLayoutSource;
import dev.kcovexplorer.kcov.live.CoverageChunk;
import dev.kcovexplorer.kcov.live.KcovDevice;
import dev.kcovexplorer.kcov.live.KcovException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Coverage from this machine's kcov, through the JNA binding. */
public final class KcovCoverageSource implements CoverageSource {
    private final Path device;
    private final ModuleLayoutSource modules;
    private Message.KernelInfo kernelInfo;
    // Written under this object's monitor (start, stop, exercise); the drains read kcov from the collector thread.
    private volatile KcovDevice kcov;
    private CollectionPlan plan;
    private VhostNetWorkload vhostNet;

    public KcovCoverageSource(Path device) {
        this(device, ModuleLayoutSource.running());
    }

    /** @param modules where the module layout is read ({@code /sys/module} on a real target) */
    public KcovCoverageSource(Path device, ModuleLayoutSource modules) {
        this.device = device;
        this.modules = modules;
    }

    @Override
    public ModuleLayout moduleLayout() throws IOException {
        return modules.read();
    }

    /** Probed on first use: the probe opens kcov, which a one-shot recording does not need. */
    @Override
    public synchronized Message.KernelInfo kernelInfo() {
        if (kernelInfo == null) {
            kernelInfo = TargetProbe.probe(device);
        }
        return kernelInfo;
    }

    @Override
    public synchronized void start(CollectionPlan plan) throws IOException {
        if (kcov != null) {
            throw new IllegalStateException("already collecting");
        }
        KcovDevice opened = KcovDevice.open(device);
        try {
            opened.initTrace(plan.areaWords());
            if (plan.local()) {
                opened.enable(plan.mode());
            } else {
                opened.remoteEnable(plan.mode(), plan.usbHandles(), plan.encodedCommonHandle());
            }
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw e;
        }
        kcov = opened;
        this.plan = plan;
    }

    @Override
    public CoverageChunk drain() throws IOException {
        return require().drain();
    }

    @Override
    public synchronized CoverageChunk stop() throws IOException {
        KcovDevice current = require();
        try {
            // Its device is closed from the kcov thread while the handle still collects: the release's flush
            // of the worker is the session's too.
            stopVhostNet();
        } catch (IOException e) {
            // the traffic's failure must not cost the session its last coverage: the area is drained below
        }
        kcov = null;
        plan = null;
        try {
            current.disable();
            return current.drain();
        } finally {
            current.close();
        }
    }

    /**
     * {@code vhost-net}: a vhost-net device owned by the kcov thread (so its worker carries the session's
     * common handle) fed packets at a live session's pace until stopped, or stopped and closed from the same thread.
     */
    @Override
    public synchronized String exercise(String workload, boolean running) throws IOException {
        if (!VhostNetWorkload.NAME.equals(workload)) {
            throw new AgentException("unknown workload '" + workload + "', expected " + VhostNetWorkload.NAME);
        }
        CollectionPlan current = plan;
        require();
        if (!running) {
            return vhostNet == null ? "vhost-net traffic was not running" : stopVhostNet();
        }
        if (vhostNet != null) {
            return "vhost-net traffic runs already";
        }
        if (current.commonHandle() == 0) {
            throw new AgentException("vhost-net traffic is collected under a common handle: start the session with "
                    + "commonHandle");
        }
        try {
            vhostNet = VhostNetWorkload.start(this, VhostNetWorkload.LIVE_STEP_PERIOD);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new AgentException("cannot start vhost-net traffic: " + e.getMessage());
        }
        return "vhost-net traffic runs under common handle 0x" + Long.toHexString(current.commonHandle());
    }

    private String stopVhostNet() throws IOException {
        VhostNetWorkload running = vhostNet;
        if (running == null) {
            return null;
        }
        vhostNet = null;
        try {
            return running.finish();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new AgentException("stopping vhost-net traffic: " + e.getMessage());
        }
    }

    /**
     * Runs {@code work} on the kcov fd's thread: with local tracing it is what gets traced; with a
     * common handle, what it sets up (child processes, a vhost device) inherits the handle.
     */
    public <T> T onKcovThread(Callable<T> work) throws Exception {
        return require().onKcovThread(work);
    }

    private KcovDevice require() throws KcovException {
        if (kcov == null) {
            throw new IllegalStateException("not collecting");
        }
        return kcov;
    }
}
