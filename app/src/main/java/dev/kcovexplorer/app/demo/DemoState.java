package dev.kcovexplorer.app.demo;

/** Where the demo VM stands, with how far a boot has come (0 to 1) for a progress bar. */
public enum DemoState {
    STOPPED("stopped", 0),
    STARTING_QEMU("starting QEMU", 0.02),
    KERNEL_BOOTING("kernel booting", 0.1),
    GUEST_READY("guest up, starting the agent", 0.6),
    AGENT_LISTENING("agent listening, connecting", 0.9),
    RUNNING("running: collecting USB and vhost coverage", 1),
    STOPPING("powering off", 1),
    FAILED("failed", 0);

    private final String label;
    private final double progress;

    DemoState(String label, double progress) {
        this.label = label;
        this.progress = progress;
    }

    public String label() {
        return label;
    }

    /** How far the boot is at this state, for the progress bar. */
    public double progress() {
        return progress;
    }

    /** Between Start and the guest being up and connected. */
    public boolean isBooting() {
        return this == STARTING_QEMU || this == KERNEL_BOOTING || this == GUEST_READY || this == AGENT_LISTENING;
    }

    /** Whether a VM process may be alive in this state. */
    public boolean hasVm() {
        return isBooting() || this == RUNNING || this == STOPPING;
    }
}
