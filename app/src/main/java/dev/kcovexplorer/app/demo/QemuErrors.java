package dev.kcovexplorer.app.demo;

/** QEMU's own error output, turned into what a presenter can act on. */
final class QemuErrors {
    private QemuErrors() {
    }

    /** The reason in {@code stderr} in words with what to do, or null when QEMU said nothing. */
    static String explain(String stderr, int usbPort, int vhostPort) {
        String text = stderr == null ? "" : stderr.strip();
        if (text.isEmpty()) {
            return null;
        }
        if (portInUse(text)) {
            return "a port for the agent is in use on this machine (" + usbPort + " or " + vhostPort
                    + "): QEMU cannot forward it; choose other ports or stop what listens there (" + firstLine(text) + ")";
        }
        if (text.contains("failed to initialize kvm") || text.contains("Could not access KVM")) {
            return "QEMU cannot use KVM here: " + firstLine(text) + " (use TCG)";
        }
        if (text.contains("could not load kernel") || text.contains("linux kernel too old to load")) {
            return "QEMU cannot boot the kernel: " + firstLine(text) + " (is it a bzImage?)";
        }
        return "QEMU failed: " + firstLine(text);
    }

    /** Whether QEMU ended because a port it forwards was taken: a clash of this machine's, not the guest's or KVM's. */
    static boolean portInUse(String stderr) {
        return stderr != null && stderr.contains("Could not set up host forwarding rule");
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).replaceFirst("^qemu-system-[a-z0-9_]+: ", "");
    }
}
