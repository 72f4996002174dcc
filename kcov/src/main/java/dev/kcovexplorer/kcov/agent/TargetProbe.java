package dev.kcovexplorer.kcov.agent;

import dev.kcovexplorer.kcov.GnuBuildIdNote;
import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.kcov.live.KcovDevice;
import dev.kcovexplorer.kcov.live.KcovException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Describes the machine the agent runs on: kernel release, build id, what its kcov can do (found by
 * trying, on throw-away fds: {@code KCOV_ENABLE} in CMP mode, {@code KCOV_REMOTE_ENABLE} with no
 * handles) and its USB buses.
 */
final class TargetProbe {
    /** One 4 KiB page: kcov maps only whole pages. */
    private static final int PROBE_AREA_WORDS = 512;
    private static final int ENOTTY = 25;
    private static final int EOPNOTSUPP = 95;
    /** The kernel-internal ENOTSUPP kcov returns for CMP mode without CONFIG_KCOV_ENABLE_COMPARISONS. */
    private static final int ENOTSUPP = 524;

    private TargetProbe() {
    }

    static Message.KernelInfo probe(Path device) {
        String release = readTrimmed(Path.of("/proc/sys/kernel/osrelease"));
        String buildId = null;
        try {
            buildId = GnuBuildIdNote.gnuBuildId(Files.readAllBytes(Path.of("/sys/kernel/notes"))).orElse(null);
        } catch (IOException | RuntimeException e) {
            // no notes (not Linux, or sysfs not mounted): the client just cannot check its vmlinux
        }
        boolean kcov = false;
        boolean comparisons = false;
        boolean remote = false;
        String problem = null;
        try {
            comparisons = tryEnable(device, TraceMode.CMP, false);
            kcov = true;
            remote = tryEnable(device, TraceMode.PC, true);
        } catch (IOException e) {
            problem = e.getMessage();
        }
        return new Message.KernelInfo(release, buildId, kcov, comparisons, remote, problem, usbBuses());
    }

    /**
     * Enables and disables kcov once. Returns false when the kernel says the feature is missing; throws
     * when kcov itself is unusable (no device, no permission).
     */
    private static boolean tryEnable(Path device, TraceMode mode, boolean remote) throws IOException {
        try (KcovDevice kcov = KcovDevice.open(device)) {
            kcov.initTrace(PROBE_AREA_WORDS);
            try {
                if (remote) {
                    kcov.remoteEnable(mode, new long[0], 0);
                } else {
                    kcov.enable(mode);
                }
            } catch (KcovException e) {
                boolean missing = remote ? e.errno() == ENOTTY : e.errno() == ENOTSUPP || e.errno() == EOPNOTSUPP;
                if (missing) {
                    return false;
                }
                throw e;
            }
            kcov.disable();
            return true;
        }
    }

    static List<Message.UsbBus> usbBuses() {
        Path devices = Path.of("/sys/bus/usb/devices");
        List<Message.UsbBus> buses = new ArrayList<>();
        try (Stream<Path> entries = Files.list(devices)) {
            for (Path root : entries.filter(p -> p.getFileName().toString().matches("usb\\d+")).toList()) {
                int bus = Integer.parseInt(readTrimmed(root.resolve("busnum")));
                buses.add(new Message.UsbBus(bus, readTrimmed(root.resolve("version")),
                        readTrimmed(root.resolve("speed")), readTrimmed(root.resolve("product"))));
            }
        } catch (IOException | RuntimeException e) {
            return List.of(); // no USB, or no sysfs
        }
        buses.sort(Comparator.comparingInt(Message.UsbBus::bus));
        return buses;
    }

    private static String readTrimmed(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
