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
        // no_timer_check: on a loaded host the TCG guest's timer looks broken to the IO-APIC check, which panics.
        // acpi=noirq: PCI interrupts routed through the BIOS's table, not by evaluating the ACPI links' AML, which
        // took 1.4 s of the xHCI controller's early handoff and 0.4 s per virtio device under TCG (guest up 2-4 s
        // sooner: 3.8-4.2 s after the kernel started instead of 6.4-8.2 s, at load 13-19).
        List<String> args = new ArrayList<>(List.of(qemu,
                // -cpu max has RDRAND: the kernel trusts it (RANDOM_TRUST_CPU) and its entropy pool is ready at
                // once; with qemu64 the agent's first SecureRandom waited some 15 s for it under TCG.
                "-accel", kvm ? "kvm" : "tcg", "-cpu", kvm ? "host" : "max", "-m", options.memory(), "-smp", Integer.toString(options.cpus()),
                "-nodefaults", "-no-reboot",
                "-kernel", options.bzImage().toString(), "-initrd", initrd.toString(),
                "-append", ("console=ttyS0 panic=-1 nokaslr no_timer_check acpi=noirq quiet loglevel=6 kx.rundir=" + runDir + " "
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
     * the agent on both guest ports with the token file, started as {@link AgentArchive} says (its options,
     * its class path, its class-data archive when there is one), its log on the console too.
     */
    static String guestCommand(DemoVmOptions options, AgentArchive.Prepared agent, Path runDir) {
        StringBuilder command = new StringBuilder(quote(options.java()));
        for (String option : AgentArchive.JVM_OPTIONS) {
            command.append(' ').append(quote(option));
        }
        if (agent.archive() != null) {
            command.append(" -XX:SharedArchiveFile=").append(quote(agent.archive().toString()));
        }
        return command.append(" -cp ").append(quote(agent.classPath())).append(" dev.kcovexplorer.kcov.agent.AgentMain")
                .append(" --listen 0.0.0.0:").append(DemoVmOptions.GUEST_PORT)
                .append(" --listen 0.0.0.0:").append(DemoVmOptions.GUEST_PORT + 1)
                .append(" --token-file ").append(quote(runDir.resolve("token").toString()))
                .append(" 2>&1 | tee /dev/console\n").toString();
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
