package dev.kcovexplorer.kcov.usb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kcovexplorer.testing.Requirements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The raw-gadget emulation against the real demo kernel under QEMU: a fixed boot keyboard plugged into
 * dummy_hcd enumerates and is configured, and the remote coverage of the dummy bus holds usb_new_device
 * (the hub driver creating it) and usbhid_probe (its driver binding), located by {@code nm}'s symbol sizes
 * in the vmlinux, not by our symbolizer; a hub's emulated port brings a device of its own. One boot serves
 * every test: the devices are plugged in turn, each by {@link PlugOnce} as on a fresh boot (it opens kcov and
 * raw-gadget itself and waits until the host has let go of its device), with each plug's own kernel log. Skipped,
 * with the reason, without the kernel or QEMU.
 */
class RawGadgetVmTest {
    private static final Path KERNEL = Path.of(System.getenv().getOrDefault("XDG_CACHE_HOME",
            System.getProperty("user.home") + "/.cache"), "kcov-explorer", "kernel");
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    /** What the tests plug, in this order, into the one boot. */
    private static final List<String> DEVICES = List.of("keyboard", "keyboard-hints", "hub", "hub-full-speed",
            "keyboard-replug");

    /** The boot's run directory: DEVICE.txt is what {@link PlugOnce} wrote, DEVICE.dmesg the kernel log meanwhile. */
    private static Path run;

    /**
     * Boots the demo kernel once and plugs every device in one guest JVM: a boot and a JVM start under TCG cost
     * more than a plug (one boot per test took four times both).
     */
    @BeforeAll
    static void plugEveryDeviceInOneBoot(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isRegularFile(KERNEL.resolve("bzImage")) && Files.isRegularFile(KERNEL.resolve("vmlinux")),
                "no kcov kernel in " + KERNEL + ": build one with sample-data/kernel/build");
        Requirements.tools("qemu-system-x86_64", "nm");
        run = dir.resolve("vm");
        String command = "java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp '" + System.getProperty("java.class.path")
                + "' " + RawGadgetVmTest.class.getName() + " " + run + " " + String.join(" ", DEVICES);
        Process boot = new ProcessBuilder(ROOT.resolve("sample-data/vm/boot").toString(), "--kernel",
                KERNEL.resolve("bzImage").toString(), "--dir", run.toString(), "--", command)
                .redirectErrorStream(true).redirectOutput(dir.resolve("boot.log").toFile()).start();
        try {
            // boot gives the guest 300 s itself and then says why it failed: a minute more to hear it.
            assertThat(boot.waitFor(360, TimeUnit.SECONDS)).as("the VM booted").isTrue();
            assertThat(boot.exitValue()).as(Files.readString(dir.resolve("boot.log"))).isZero();
            Path exit = run.resolve("guest-exit");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300L * DEVICES.size());
            while (!Files.exists(exit) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(exit).as("the guest command ended; its output:\n" + guestLog(run)).exists();
        } finally {
            new ProcessBuilder(ROOT.resolve("sample-data/vm/stop").toString(), run.toString()).start()
                    .waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Run inside the VM: plugs each device named after {@code args[0]} (the run directory) in turn, and after each
     * moves what the kernel logged meanwhile to DEVICE.dmesg ({@code dmesg -c}). A device that fails is reported
     * in the guest log and leaves no DEVICE.txt, which its test names; the next devices still plug.
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        for (String device : List.of(args).subList(1, args.length)) {
            try {
                PlugOnce.main(new String[] {dir.resolve(device + ".txt").toString(), device});
            } catch (Exception e) {
                System.out.println(device + " failed:");
                e.printStackTrace(System.out);
            }
            new ProcessBuilder("dmesg", "-c").redirectErrorStream(true)
                    .redirectOutput(dir.resolve(device + ".dmesg").toFile()).start().waitFor();
        }
    }

    @Test
    void aFixedKeyboardEnumeratesAndItsDriverProbes() throws Exception {
        List<String> lines = plugInVm("keyboard");
        assertThat(lines).as(String.join("\n", lines.subList(0, Math.min(4, lines.size()))))
                .contains("configured true", "error null");
        Map<String, long[]> functions = symbols(KERNEL.resolve("vmlinux"), "usb_new_device", "usbhid_probe");
        System.out.printf("fixed keyboard on dummy_hcd: %,d PCs collected%n", pcs(lines).count());
        for (Map.Entry<String, long[]> function : functions.entrySet()) {
            long inside = pcsIn(lines, function.getValue());
            System.out.printf("  %s: %d PCs%n", function.getKey(), inside);
            assertThat(inside).as(function.getKey() + " in the coverage").isPositive();
        }
    }

    /**
     * A comparison pass on the real kernel: with the dummy bus's handle moved to a CMP-mode fd, replaying the
     * keyboard collects comparisons, among them the keyboard's vendor ID (0x1d6b) against another inside
     * usb_match_device or usb_match_one_id (the USB core matching ID tables and quirks; located by {@code nm}),
     * from which a hint for the device descriptor's idVendor follows; and the PC fd, given the handle back, collects
     * usb_new_device again on the next plug.
     */
    @Test
    void aComparisonPassCollectsTheDummyBussComparisonsAndGivesTheHandleBack() throws Exception {
        List<String> lines = plugInVm("keyboard-hints");
        assertThat(lines).contains("configured true", "replay configured true");
        Map<String, long[]> functions = symbols(KERNEL.resolve("vmlinux"), "usb_match_device", "usb_match_one_id",
                "usb_new_device");
        ComparisonHints.Operands operands = new ComparisonHints.Operands();
        List<String> vendorMatches = new ArrayList<>();
        List<Long> after = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            if (line.startsWith("cmp records ")) {
                System.out.printf("comparison pass: %,d CMP records%n", Long.parseLong(f[2]));
            } else if (line.startsWith("cmp ")) {
                int size = Integer.parseInt(f[1]);
                long arg1 = Long.parseUnsignedLong(f[3].substring(2), 16);
                long arg2 = Long.parseUnsignedLong(f[4].substring(2), 16);
                long site = Long.parseUnsignedLong(f[5].substring(2), 16);
                operands.add(size, Boolean.parseBoolean(f[2]), arg1, arg2, site);
                boolean vendor = (arg1 == 0x1d6b) != (arg2 == 0x1d6b);
                if (vendor && (inside(functions.get("usb_match_device"), site)
                        || inside(functions.get("usb_match_one_id"), site))) {
                    vendorMatches.add(line);
                }
            } else if (line.startsWith("pc-after 0x")) {
                after.add(Long.parseUnsignedLong(line.substring("pc-after 0x".length()), 16));
            }
        }
        System.out.printf("  %d distinct comparisons, %d of the vendor ID in usb_match_device/usb_match_one_id%n",
                operands.distinct(), vendorMatches.size());
        assertThat(vendorMatches).as("the vendor ID compared with an ID table's").isNotEmpty();
        List<ComparisonHints.Hint> hints = ComparisonHints.find(PlugOnce.keyboard(), operands);
        System.out.printf("  %d hints for the keyboard%n", hints.size());
        assertThat(hints).as("a hint for idVendor").anyMatch(h -> h.part() == 0 && h.offset() == 8 && h.width() == 2);
        assertThat(after).as("PCs of usb_new_device after the handle went back to the PC fd")
                .anyMatch(pc -> inside(functions.get("usb_new_device"), pc));
    }

    /** Whether the call before return address {@code ret} lies in the function {start, size}. */
    private static boolean inside(long[] function, long ret) {
        return Long.compareUnsigned(ret - 5, function[0]) >= 0
                && Long.compareUnsigned(ret - 5, function[0] + function[1]) < 0;
    }

    /**
     * A one-port hub whose port reports a connection: the host resets the port through the emulated port
     * states and enumerates the device behind it (which dummy_hcd routes to the same gadget), as its log says.
     * The same hub with a port whose status has no speed bit: the device behind it runs at full speed.
     */
    @ParameterizedTest
    @CsvSource({"hub, high-speed", "hub-full-speed, full-speed"})
    void aDeviceBehindTheEmulatedHubsPortIsEnumeratedAtThePortsSpeed(String device, String speed) throws Exception {
        List<String> lines = plugInVm(device);
        assertThat(lines).contains("configured true", "error null");
        String kernelLog = Files.readString(run.resolve(device + ".dmesg"));
        int bus = Integer.parseInt(lines.get(0).substring("bus ".length()));
        assertThat(kernelLog).as("the kernel log")
                .containsPattern("usb " + bus + "-1\\.1: new " + speed + " USB device");
    }

    /**
     * The fixed keyboard dwelling ({@link UsbDevice.Dwell#REPLUG}): allowed to, the host suspends it, and plugged in
     * again at once, it is resumed by hub_event itself, so usb_port_resume and usb_resume_both (located by nm) are in
     * the dummy bus's coverage; the same keyboard plugged in plainly reaches neither.
     */
    @Test
    void aKeyboardPluggedInAgainWhileSuspendedIsResumedByHubEvent() throws Exception {
        List<String> plain = plugInVm("keyboard");
        List<String> replugged = plugInVm("keyboard-replug");
        assertThat(replugged).contains("configured true", "error null", "suspended true");
        Map<String, long[]> functions = symbols(KERNEL.resolve("vmlinux"), "usb_port_resume", "usb_resume_both");
        for (Map.Entry<String, long[]> function : functions.entrySet()) {
            long[] range = function.getValue();
            System.out.printf("  %s: %d PCs plain, %d replugged while suspended%n", function.getKey(),
                    pcsIn(plain, range), pcsIn(replugged, range));
            assertThat(pcsIn(replugged, range)).as(function.getKey() + " replugged").isPositive();
            assertThat(pcsIn(plain, range)).as(function.getKey() + " plain").isZero();
        }
    }

    /** How many of the collected PCs ({@code pc 0x…} lines, return addresses) are calls inside {@code function}. */
    private static long pcsIn(List<String> lines, long[] function) {
        return pcs(lines).filter(pc -> inside(function, pc)).count();
    }

    /** The collected PCs: {@link PlugOnce}'s {@code pc 0x…} lines. */
    private static LongStream pcs(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("pc 0x"))
                .mapToLong(l -> Long.parseUnsignedLong(l.substring("pc 0x".length()), 16));
    }

    /** The lines {@link PlugOnce} wrote for {@code device} in the boot. */
    private static List<String> plugInVm(String device) throws Exception {
        Path result = run.resolve(device + ".txt");
        assertThat(result).as("the guest's output:\n" + guestLog(run)).exists();
        return Files.readAllLines(result);
    }

    /** Start and size of each named function, from {@code nm -S}. */
    private static Map<String, long[]> symbols(Path vmlinux, String... names) throws Exception {
        Process nm = new ProcessBuilder("nm", "-S", vmlinux.toString()).redirectErrorStream(true).start();
        Map<String, long[]> found = new TreeMap<>();
        List<String> wanted = List.of(names);
        try (var reader = nm.inputReader(StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 4 && wanted.contains(f[3]) && "tT".contains(f[2])) {
                    found.put(f[3], new long[] {Long.parseUnsignedLong(f[0], 16), Long.parseUnsignedLong(f[1], 16)});
                }
            }
        }
        nm.waitFor(60, TimeUnit.SECONDS);
        assertThat(found.keySet()).as("nm finds the functions").containsExactlyInAnyOrder(names);
        return found;
    }

    private static String guestLog(Path run) throws Exception {
        Path log = run.resolve("guest.log");
        return Files.exists(log) ? Files.readString(log) : "(no guest.log)";
    }
}
