package dev.kcovexplorer.kcov.agent;

import dev.kcovexplorer.kcov.vhost.VhostNetExerciser;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
    /**
     * A live session's pace: a step at most every 100 ms. Unpaced, the device takes a round as fast as the guest
     * runs (60 a second in the demo VM under TCG on a busy 2-core host, more on an idle one), each some 66,000
     * PCs: millions of PCs a second, more than the agent in the guest drains and its forwarded port carries, so
     * the session's 4 Mi-word area overflowed within a second and coverage was lost. Paced, a drain every 100 ms
     * finds some 67,000 PCs, and the unique coverage is the same (1,488 PCs).
     */
    static final Duration LIVE_STEP_PERIOD = Duration.ofMillis(100);

    private final KcovCoverageSource source;
    private final VhostNetExerciser exerciser;
    private final Thread driver;
    private final long stepPeriodNanos;
    private final CountDownLatch finishing = new CountDownLatch(1);
    private volatile Exception failure;
    private long offered;
    private long completed;
    private long received;

    private VhostNetWorkload(KcovCoverageSource source, VhostNetExerciser exerciser, Duration stepPeriod) {
        this.source = source;
        this.exerciser = exerciser;
        this.stepPeriodNanos = stepPeriod.toNanos();
        this.driver = new Thread(this::drive, "vhost-net-workload");
        this.driver.setDaemon(true);
    }

    /** Opens the device on the kcov thread and sends packets as fast as it takes them (a recording to a file). */
    static VhostNetWorkload start(KcovCoverageSource source) throws Exception {
        return start(source, Duration.ZERO);
    }

    /**
     * Opens the device on the kcov thread and sends packets, a step at most every {@code stepPeriod} (see
     * {@link #LIVE_STEP_PERIOD}).
     */
    static VhostNetWorkload start(KcovCoverageSource source, Duration stepPeriod) throws Exception {
        VhostNetExerciser exerciser = source.onKcovThread(VhostNetExerciser::open);
        VhostNetWorkload workload = new VhostNetWorkload(source, exerciser, stepPeriod);
        workload.driver.start();
        return workload;
    }

    private void drive() {
        try {
            long nextStep = System.nanoTime();
            while (finishing.getCount() > 0) {
                VhostNetExerciser.Result result = exerciser.exercise(ROUNDS_PER_STEP, PACKETS_PER_ROUND, STEP_TIMEOUT);
                offered += result.packetsOffered();
                completed += result.packetsCompleted();
                received += result.framesReceived();
                // A step that ran late starts the next at once, without making up for it.
                nextStep = Math.max(nextStep + stepPeriodNanos, System.nanoTime());
                finishing.await(nextStep - System.nanoTime(), TimeUnit.NANOSECONDS);
            }
        } catch (IOException | RuntimeException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops sending, closes the device on the kcov thread, and says what was done. */
    String finish() throws Exception {
        finishing.countDown();
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
