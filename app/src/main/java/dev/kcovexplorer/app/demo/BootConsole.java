package dev.kcovexplorer.app.demo;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The guest's serial console, read line by line: how far the boot has come (the kernel's first words, the
 * test VM's init saying {@code kx: ready}, the agent listening on both ports), what went wrong when it did
 * (a kernel panic, the init failing, the agent exiting), and the last lines to show with it.
 */
final class BootConsole {
    static final int KEPT_LINES = 40;
    private static final Pattern LISTENING = Pattern.compile("agent: listening on [^:]+:(\\d+)");
    private static final Pattern COMMAND_EXIT = Pattern.compile("kx: command exited with status (\\d+)");
    private static final Pattern KERNEL_TIME = Pattern.compile("^\\[\\s*(\\d+\\.\\d+)\\]");
    /** Guest seconds the demo kernel takes to its init under TCG: the kernel's share of the progress bar. */
    private static final double KERNEL_SECONDS = 7;

    private final Deque<String> last = new ArrayDeque<>();
    private final int agentPorts;
    private DemoState stage = DemoState.STARTING_QEMU;
    private int listening;
    private String failure;
    private double progress = DemoState.STARTING_QEMU.progress();

    /** @param agentPorts how many {@code agent: listening} lines mean the agent is ready */
    BootConsole(int agentPorts) {
        this.agentPorts = agentPorts;
    }

    /** Reads one line; returns the boot stage reached (the same as before when nothing changed). */
    synchronized DemoState accept(String raw) {
        String line = raw.replaceAll("[\\p{Cntrl}&&[^\t]]", "");
        last.addLast(line);
        if (last.size() > KEPT_LINES) {
            last.removeFirst();
        }
        if (failure == null) {
            failure = failureIn(line);
        }
        if (stage == DemoState.STARTING_QEMU && !line.isBlank()) {
            stage = DemoState.KERNEL_BOOTING;
        }
        if (line.contains("kx: ready") && stage.compareTo(DemoState.GUEST_READY) < 0) {
            stage = DemoState.GUEST_READY;
        }
        if (LISTENING.matcher(line).find() && ++listening >= agentPorts) {
            stage = DemoState.AGENT_LISTENING;
        }
        double reached = stage.progress();
        Matcher time = KERNEL_TIME.matcher(line);
        if (stage == DemoState.KERNEL_BOOTING && time.find()) {
            double span = DemoState.GUEST_READY.progress() - DemoState.KERNEL_BOOTING.progress();
            reached += span * Math.min(0.95, Double.parseDouble(time.group(1)) / KERNEL_SECONDS);
        }
        progress = Math.max(progress, reached);
        return stage;
    }

    private String failureIn(String line) {
        if (line.contains("Kernel panic - not syncing")) {
            return "the guest kernel panicked: " + line.substring(line.indexOf("Kernel panic"));
        }
        if (line.startsWith("kx: cannot") || line.contains("] kx: cannot")) {
            return "the guest's init failed: " + line.substring(line.indexOf("kx: "));
        }
        Matcher exit = COMMAND_EXIT.matcher(line);
        if (exit.find()) {
            return "the agent in the guest exited with status " + exit.group(1);
        }
        if (line.contains("kcov-explorer agent: ")) {
            return "the agent in the guest failed: " + line.substring(line.indexOf("kcov-explorer agent: ") + 21);
        }
        return null;
    }

    synchronized DemoState stage() {
        return stage;
    }

    /**
     * How far the boot has come, 0 to 1, never going back: the stage, and within the kernel's boot its own
     * clock (the console's timestamps) against the usual time to the init.
     */
    synchronized double progress() {
        return progress;
    }

    /** The first failure the console showed, or null. */
    synchronized String failure() {
        return failure;
    }

    /** The newest lines, oldest first. */
    synchronized List<String> lastLines() {
        return List.copyOf(last);
    }

    /** The newest non-blank line, or "". */
    synchronized String lastLine() {
        var it = last.descendingIterator();
        while (it.hasNext()) {
            String line = it.next();
            if (!line.isBlank()) {
                return line;
            }
        }
        return "";
    }
}
