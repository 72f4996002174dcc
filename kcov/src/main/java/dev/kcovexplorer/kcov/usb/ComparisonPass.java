package dev.kcovexplorer.kcov.usb;

import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.kcov.live.CoverageChunk;
import dev.kcovexplorer.kcov.live.KcovDevice;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * Replays a device once while a second kcov fd collects the dummy bus's comparisons ({@code KCOV_TRACE_CMP}),
 * for {@link ComparisonHints}. A remote handle belongs to one kcov fd at a time ({@code kcov_remote_add} answers
 * EEXIST while another holds it), so the PC fd gives it up for the replay ({@code KCOV_DISABLE} drops its
 * handles) and takes it back after; no device is plugged in meanwhile, so the PC fd misses nothing. Each fd's
 * ioctls run on the fd's own thread, as {@code KCOV_DISABLE} must come from the task that enabled it.
 */
final class ComparisonPass {
    private final KcovDevice pc;
    private final KcovDevice cmp;
    private final long[] handles;

    /** What the replay brought: the comparisons, and whether the CMP area overflowed between two drains. */
    record Replay(ComparisonHints.Operands operands, GadgetConnection.Result result, boolean overflow) {
    }

    /**
     * @param pc  the campaign's fd, remote-enabled for {@code handles} in PC mode
     * @param cmp a fresh fd with its area initialized, not enabled
     */
    ComparisonPass(KcovDevice pc, KcovDevice cmp, long[] handles) {
        this.pc = pc;
        this.cmp = cmp;
        this.handles = handles.clone();
    }

    /**
     * Plugs {@code device} in once with comparisons collected, as {@link GadgetConnection#serve} would (the stall
     * clock counts comparison sites not seen before in this replay), waits for the host to let go, and gives the
     * handle back to the PC fd. {@code pcLeftover} receives what the PC fd still held when it let go.
     */
    Replay replay(GadgetConnection connection, UsbDevice device, long budgetMillis, long idleMillis, long stallMillis,
                  Consumer<CoverageChunk> pcLeftover, Waiter awaitUnplugged) throws IOException, InterruptedException {
        pcLeftover.accept(pc.drain());
        pc.disable();
        pcLeftover.accept(pc.drain());
        ComparisonHints.Operands operands = new ComparisonHints.Operands();
        boolean[] overflow = new boolean[1];
        GadgetConnection.Result result;
        try {
            cmp.remoteEnable(TraceMode.CMP, handles, 0);
            try {
                result = connection.serve(device, budgetMillis, idleMillis, stallMillis,
                        () -> drainInto(operands, overflow));
                awaitUnplugged.await();
                drainInto(operands, overflow);
            } finally {
                cmp.disable();
            }
            drainInto(operands, overflow);
        } finally {
            pc.remoteEnable(TraceMode.PC, handles, 0);
        }
        return new Replay(operands, result, overflow[0]);
    }

    private boolean drainInto(ComparisonHints.Operands operands, boolean[] overflow) {
        try {
            CoverageChunk chunk = cmp.drain();
            overflow[0] |= chunk.overflow();
            return operands.add(chunk.words());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Waits for the host to have removed the device. */
    interface Waiter {
        void await() throws InterruptedException;
    }
}
