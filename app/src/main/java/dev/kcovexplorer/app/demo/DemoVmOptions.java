package dev.kcovexplorer.app.demo;

import dev.kcovexplorer.symbolizer.index.CacheDirectory;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to run the demo VM: the kernel, QEMU and its accelerator, the guest's size, the host ports the agent's
 * two sessions are forwarded to (0: free ones), the repository's VM scripts, and the JVM and class path the
 * agent runs with inside the guest (the host's, reached through the read-only 9p share of {@code /}).
 *
 * @param bzImage        the kernel to boot
 * @param vmlinux        its image with debug info (the session the window shows), or null
 * @param qemu           the QEMU binary, a path or a name on PATH
 * @param accel          TCG, KVM, or AUTO (KVM when {@code /dev/kvm} works and a probe boot got through)
 * @param usbPort        host port for the agent session collecting the USB buses (0: a free one)
 * @param vhostPort      host port for the agent session collecting the vhost common handle (0: a free one)
 * @param repository     the checkout whose {@code sample-data/vm} scripts build the guest's initramfs
 * @param java           the JVM binary the agent runs with in the guest
 * @param agentClassPath the agent's class path (the kcov module, JNA, Jackson)
 * @param appendArgs     more kernel command line arguments, or ""
 */
public record DemoVmOptions(Path bzImage, Path vmlinux, String qemu, Accel accel, String memory, int cpus,
        int usbPort, int vhostPort, Path repository, String java, String agentClassPath, String appendArgs) {

    /** How QEMU runs the guest's CPU. */
    public enum Accel { AUTO, TCG, KVM }

    /** The guest port of the USB session; the vhost session listens on the next one. */
    static final int GUEST_PORT = 7070;
    /** The common handle the vhost-net traffic runs under (the one the committed demo captures used). */
    public static final long VHOST_COMMON_HANDLE = 0x42;

    /** Where {@code sample-data/kernel/build} leaves the demo kernel: $KERNEL_DIR or the cache's. */
    public static Path kernelDirectory() {
        String explicit = System.getenv("KERNEL_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        return CacheDirectory.ofUser().resolve("kernel");
    }

    /** The demo kernel, TCG unless KVM proves itself, 2 GiB and 2 CPUs, free ports, this JVM for the agent. */
    public static DemoVmOptions defaults(Path repository) {
        Path kernel = kernelDirectory();
        return new DemoVmOptions(kernel.resolve("bzImage"), kernel.resolve("vmlinux"), "qemu-system-x86_64",
                Accel.AUTO, "2G", 2, 0, 0, repository, currentJava(), agentClassPath(System.getProperty("java.class.path")),
                "");
    }

    public DemoVmOptions withKernel(Path kernel, Path image) {
        return new DemoVmOptions(kernel, image, qemu, accel, memory, cpus, usbPort, vhostPort, repository, java,
                agentClassPath, appendArgs);
    }

    public DemoVmOptions withQemu(String binary) {
        return new DemoVmOptions(bzImage, vmlinux, binary, accel, memory, cpus, usbPort, vhostPort, repository, java,
                agentClassPath, appendArgs);
    }

    public DemoVmOptions withAccel(Accel chosen) {
        return new DemoVmOptions(bzImage, vmlinux, qemu, chosen, memory, cpus, usbPort, vhostPort, repository, java,
                agentClassPath, appendArgs);
    }

    public DemoVmOptions withPorts(int usb, int vhost) {
        return new DemoVmOptions(bzImage, vmlinux, qemu, accel, memory, cpus, usb, vhost, repository, java,
                agentClassPath, appendArgs);
    }

    /** The kernel's {@code .config} as the build leaves it next to bzImage ({@code config}), or null. */
    Path kernelConfig() {
        Path config = bzImage.resolveSibling("config");
        return Files.isRegularFile(config) ? config : null;
    }

    /**
     * The repository holding {@code sample-data/vm}: the first of {@code start} and its parents that has it,
     * or null.
     */
    public static Path findRepository(Path start) {
        for (Path dir = start == null ? null : start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("sample-data/vm/init"))) {
                return dir;
            }
        }
        return null;
    }

    /** The repository this program runs from (its jar's or classes' location), else the working directory's. */
    public static Path thisRepository() {
        try {
            Path code = Path.of(DemoVmOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path found = findRepository(code);
            if (found != null) {
                return found;
            }
        } catch (Exception e) {
            // no code source to go by: the working directory's
        }
        return findRepository(Path.of(""));
    }

    private static String currentJava() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The kcov module, JNA and Jackson out of {@code classPath}: all the agent needs. */
    static String agentClassPath(String classPath) {
        List<String> entries = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path path = Path.of(entry).toAbsolutePath();
            String name = path.getFileName().toString();
            if (path.endsWith(Path.of("kcov", "target", "classes")) || name.startsWith("kcov-")
                    || name.startsWith("jna-") || name.startsWith("jackson-")) {
                entries.add(path.toString());
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
