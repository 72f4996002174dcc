package dev.kcovexplorer.kcov.usb;

import dev.kcovexplorer.kcov.PcHitTable;
import dev.kcovexplorer.kcov.RemoteHandle;
import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.kcov.live.KcovDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * Run inside the test VM by {@link RawGadgetVmTest}: plugs one fixed device (a USB boot keyboard) into
 * dummy_hcd through raw-gadget while kcov collects the dummy bus remotely, unplugs it, and writes what
 * happened and every PC collected to the file named by its argument. With "keyboard-hints" it then replays the
 * keyboard with the bus's comparisons collected ({@link ComparisonPass}: the handle moved to a CMP-mode fd and
 * back) and plugs it in a third time in PC mode, writing the comparisons and the third connection's PCs too.
 */
public final class PlugOnce {
    private PlugOnce() {
    }

    /** A boot keyboard: device, one configuration with a HID interface, its report, and three strings. */
    static UsbDevice keyboard() {
        byte[] report = HidReportGenerator.bootKeyboard();
        byte[] body = new Descriptors.Writer()
                .bytes(Descriptors.iface(0, 0, 1, 3, 1, 1, 0))
                .bytes(Descriptors.hid(0x0111, 0, report.length))
                .bytes(Descriptors.endpoint(0x81, 3, 8, 10)).toArray();
        return new UsbDevice(
                Descriptors.device(0x0200, 0, 0, 0, 64, 0x1d6b, 0x0104, 0x0100, 1, 2, 3, 1),
                Descriptors.configuration(1, 1, 0, 0xa0, 50, body),
                List.of(Descriptors.string("KCOV Explorer"), Descriptors.string("Test Keyboard"),
                        Descriptors.string("0001")),
                report, new byte[0], new byte[0], List.of(new byte[] {0}), true, "fixed keyboard");
    }

    /**
     * A one-port high-speed hub whose port has a high-speed device connected (status connection + power + high
     * speed, connect change), or a full-speed one (neither speed bit).
     */
    static UsbDevice hub(boolean highSpeed) {
        byte[] body = new Descriptors.Writer()
                .bytes(Descriptors.iface(0, 0, 1, 9, 0, 0, 0))
                .bytes(Descriptors.endpoint(0x81, 3, 1, 12)).toArray();
        return new UsbDevice(
                Descriptors.device(0x0200, 9, 0, 1, 64, 0x1d6b, 0x0002, 0x0100, 0, 0, 0, 1),
                Descriptors.configuration(1, 1, 0, 0xe0, 0, body),
                List.of(), new byte[0], new byte[0], Descriptors.hub(1, 0, 10, 0),
                List.of(new byte[] {0, 0, 0, 0}, new byte[] {0x01, (byte) (highSpeed ? 0x05 : 0x01), 0x01, 0x00}), true,
                "fixed hub");
    }

    /**
     * How long a dwelling device waits for its suspend: as long as a TCG guest on a busy machine may take, not the
     * fuzzer's second, which such a guest missed at load 37-46 ("suspended false"). The dwell still ends once the host
     * has suspended the device; one it never suspends fails its test, a minute later. The plugs keep the fuzzer's 10 s:
     * none was seen to miss it, and a longer one lets each emulated hub's child (the same hub, its port connected)
     * enumerate a child of its own, tier after tier, which no test asserts.
     */
    private static final long SUSPEND_WAIT_MILLIS = 60_000;

    /** Whether the kernel oopsed since this program started (the wait gives up when it has). */
    private static final KernelTaint TAINT = new KernelTaint(KernelTaint.PROC);

    /** {@link UsbFuzzer#awaitHostLetGo}, the fuzzer's own wait, saying which wait gave up when one did. */
    private static void awaitGone(DummyUdc udc) throws InterruptedException {
        String gaveUp = UsbFuzzer.awaitHostLetGo(udc, TAINT::oopsedSince);
        if (gaveUp != null) {
            System.err.println(gaveUp + ": going on");
        }
    }

    private static GadgetConnection connection(DummyUdc udc, ExecutorService gadgetThread) {
        return new GadgetConnection(RawGadget.DEVICE, udc, gadgetThread, SUSPEND_WAIT_MILLIS);
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        String kind = args.length > 1 ? args[1] : "keyboard";
        UsbDevice device = kind.equals("hub") ? hub(true) : kind.equals("hub-full-speed") ? hub(false)
                : kind.equals("keyboard-replug") ? keyboard().withDwell(UsbDevice.Dwell.REPLUG, "dwell") : keyboard();
        DummyUdc udc = DummyUdc.find(DummyUdc.SYSFS, null);
        ExecutorService gadgetThread = Executors.newSingleThreadExecutor();
        PcHitTable reached = new PcHitTable();
        PcHitTable reachedAfter = new PcHitTable();
        ComparisonPass.Replay replay = null;
        GadgetConnection.Result result;
        long[] handles = {RemoteHandle.usb(udc.bus()).encode()};
        try (KcovDevice kcov = KcovDevice.open(); KcovDevice cmp = KcovDevice.open()) {
            kcov.initTrace(1 << 20);
            kcov.remoteEnable(TraceMode.PC, handles, 0);
            BooleanSupplier drain = () -> {
                try {
                    for (long pc : kcov.drain().words()) {
                        reached.add(pc);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return true;
            };
            result = connection(udc, gadgetThread).serve(device, 10_000, 1000, 10_000, drain);
            awaitGone(udc);
            drain.getAsBoolean();
            if (kind.equals("keyboard-hints")) {
                cmp.initTrace(1 << 20);
                GadgetConnection connection = connection(udc, gadgetThread);
                replay = new ComparisonPass(kcov, cmp, handles).replay(connection, device, 10_000, 1000, 10_000,
                        chunk -> { }, () -> awaitGone(udc));
                connection.serve(device, 10_000, 1000, 10_000, () -> true);
                awaitGone(udc);
                for (long pc : kcov.drain().words()) {
                    reachedAfter.add(pc);
                }
            }
        } finally {
            gadgetThread.shutdownNow();
        }
        StringBuilder text = new StringBuilder();
        text.append("bus ").append(udc.bus()).append('\n').append("requests ").append(result.requests()).append('\n')
                .append("configured ").append(result.configured()).append('\n')
                .append("error ").append(result.error()).append('\n')
                .append("suspended ").append(result.suspended()).append('\n');
        for (long pc : reached.sorted().pcs()) {
            text.append("pc 0x").append(Long.toHexString(pc)).append('\n');
        }
        if (replay != null) {
            text.append("replay configured ").append(replay.result().configured()).append('\n')
                    .append("cmp records ").append(replay.operands().records()).append('\n');
            for (ComparisonHints.Operands.Comparison c : replay.operands().comparisons()) {
                text.append(String.format("cmp %d %b 0x%x 0x%x 0x%x%n", c.size(), c.constant(), c.arg1(), c.arg2(),
                        c.site()));
            }
            for (long pc : reachedAfter.sorted().pcs()) {
                text.append("pc-after 0x").append(Long.toHexString(pc)).append('\n');
            }
        }
        Files.writeString(out, text);
    }
}
