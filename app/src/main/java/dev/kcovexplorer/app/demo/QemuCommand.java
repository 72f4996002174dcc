package dev.kcovexplorer.app.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The QEMU command line of the demo VM, as {@code sample-data/vm/boot} runs it (the host's {@code /} read-only
 * over 9p, the run directory read-write at the same path, a qemu-xhci controller with id {@code xhci}, a QMP
 * socket), with the serial console on standard output and two agent ports forwarded: one session for the USB
 * buses, one for the vhost common handle. And the command the guest runs: the agent on both ports, its log
 * also on the console so the host sees it listening.
 */
final class QemuCommand {
    private QemuCommand() {
    }

    static List<String> arguments(DemoVmOptions options, String qemu, boolean kvm, Path runDir, Path initrd,
            int usbPort, int vhostPort) {
        int guestUsb = DemoVmOptions.GUEST_PORT;
        int guestVhost = DemoVmOptions.GUEST_PORT + 1;
        // loglevel=6: the kernel's notices, some 35 timestamped lines, are the boot's progress on the console.
        List<String> args = new ArrayList<>(List.of(qemu,
                "-accel", kvm ? "kvm" : "tcg", "-m", options.memory(), "-smp", Integer.toString(options.cpus()),
                "-nodefaults", "-no-reboot",
                "-kernel", options.bzImage().toString(), "-initrd", initrd.toString(),
                "-append", ("console=ttyS0 panic=-1 nokaslr quiet loglevel=6 kx.rundir=" + runDir + " "
                        + options.appendArgs()).trim(),
                "-virtfs", "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap,id=hostroot",
                "-virtfs", "local,path=" + runDir + ",mount_tag=rundir,security_model=none,multidevs=remap,id=rundir",
                "-netdev", "user,id=net0,hostfwd=tcp:127.0.0.1:" + usbPort + "-:" + guestUsb
                        + ",hostfwd=tcp:127.0.0.1:" + vhostPort + "-:" + guestVhost,
                "-device", "virtio-net-pci,netdev=net0",
                "-device", "qemu-xhci,id=xhci",
                "-qmp", "unix:" + runDir.resolve("qmp.sock") + ",server=on,wait=off",
                "-display", "none", "-vga", "none",
                "-chardev", "stdio,id=console,signal=off", "-serial", "chardev:console"));
        return args;
    }

    /**
     * The guest's command ({@code RUNDIR/.kx-command}, run by {@code sample-data/vm/init} in the host's tree):
     * the agent on both guest ports with the token file, C1 and the serial collector (the JIT's own work is
     * expensive under TCG), its log on the console too.
     */
    static String guestCommand(DemoVmOptions options, Path runDir) {
        return quote(options.java()) + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m -cp "
                + quote(options.agentClassPath()) + " dev.kcovexplorer.kcov.agent.AgentMain"
                + " --listen 0.0.0.0:" + DemoVmOptions.GUEST_PORT + " --listen 0.0.0.0:" + (DemoVmOptions.GUEST_PORT + 1)
                + " --token-file " + quote(runDir.resolve("token").toString()) + " 2>&1 | tee /dev/console\n";
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
