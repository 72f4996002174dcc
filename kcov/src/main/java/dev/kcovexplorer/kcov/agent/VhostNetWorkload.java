package dev.kcovexplorer.kcov.agent;

import dev.kcovexplorer.kcov.vhost.VhostNetExerciser;
import java.io.IOException;
import java.time.Duration;

/**
 * {@code --exercise vhost-net}: while a recording with a common handle runs, a vhost-net device owned by
 * the kcov thread (so its worker carries the handle) is fed packets until the recording ends, and closed
 * from the same thread (its release flushes the worker, still under the handle).
 */
final class VhostNetWorkload {
    /** The workload's name in {@code --exercise} and in the protocol's {@code exercise} request. */
    static final String NAME = "vhost-net";
    /** One round per step: a stop waits for the current step only, well under a second even under TCG. */
    private static final int ROUNDS_PER_STEP = 1;
    private static final int PACKETS_PER_ROUND = 32;
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);

    private final KcovCoverageSource source;
    private final VhostNetExerciser exerciser;
    private final Thread driver;
    private volatile boolean finishing;
    private volatile Exception failure;
    private long offered;
    private long completed;
    private long received;

    private VhostNetWorkload(KcovCoverageSource source, VhostNetExerciser exerciser) {
        this.source = source;
        this.exerciser = exerciser;
        this.driver = new Thread(this::drive, "vhost-net-workload");
        this.driver.setDaemon(true);
    }

    /** Opens the device on the kcov thread and starts sending packets. */
    static VhostNetWorkload start(KcovCoverageSource source) throws Exception {
        VhostNetExerciser exerciser = source.onKcovThread(VhostNetExerciser::open);
        VhostNetWorkload workload = new VhostNetWorkload(source, exerciser);
        workload.driver.start();
        return workload;
    }

    private void drive() {
        try {
            while (!finishing) {
                VhostNetExerciser.Result result = exerciser.exercise(ROUNDS_PER_STEP, PACKETS_PER_ROUND, STEP_TIMEOUT);
                offered += result.packetsOffered();
                completed += result.packetsCompleted();
                received += result.framesReceived();
            }
        } catch (IOException | RuntimeException e) {
            failure = e;
        }
    }

    /** Stops sending, closes the device on the kcov thread, and says what was done. */
    String finish() throws Exception {
        finishing = true;
        driver.join();
        source.onKcovThread(() -> {
            exerciser.close();
            return null;
        });
        if (failure != null) {
            throw new IOException("the vhost-net workload failed: " + failure.getMessage(), failure);
        }
        return "vhost-net: " + completed + " of " + offered + " packets sent through the TX queue, " + received
                + " frames received";
    }
}
