package dev.kcovexplorer.kcov.usb;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.stream.Stream;

/**
 * The host side's runtime power management of the emulated device and the devices behind it (an emulated hub's
 * children), through sysfs: what a dwelling device ({@link UsbDevice.Dwell}) needs. USB devices other than hubs
 * start with runtime PM forbidden ({@code power/control} "on", usb_new_device) and a 2 s autosuspend delay; a
 * dwell allows it with no delay, so the host suspends an idle device in a moment instead of never. The dummy bus's
 * root hub already autosuspends with no delay (hub_probe), once its child is suspended or gone. Nothing is
 * restored, and nothing needs to be: the settings live in the devices' own sysfs directories, which the unplug
 * that ends the connection removes; the next device starts with the kernel's defaults again.
 */
final class HostPower {
    /** The emulated device as the host shows it ({@link DummyUdc#hostDevice}): B-1. */
    private final Path device;
    private final String prefix;

    /** The devices {@code B-1…} of {@code udc}'s bus under {@code sysfs}. */
    HostPower(Path sysfs, DummyUdc udc) {
        this.device = udc.hostDevice(sysfs);
        this.prefix = device.getFileName().toString();
    }

    /**
     * What {@link #allowSuspend} did: for how many devices, and when for none, why not (the file it could not
     * write and the reason, or that the host had no device).
     */
    record Allowed(int devices, String whyNot) {
    }

    /**
     * {@link #allowSuspend} under way on a thread of its own: both power files' stores take the device's lock
     * (6.1 drivers/base/power/sysfs.c control_store, autosuspend_delay_ms_store), which hub_event holds for the
     * whole of an emulated hub's event (a port whose reset never ends keeps it tens of seconds) and the driver
     * core while an interface driver probes. The watchdog that started it goes on draining kcov and timing the
     * connection meanwhile, and gives up on it when it takes too long.
     */
    static final class Allowing {
        private final FutureTask<Allowed> task;
        private volatile Path file;

        private Allowing(HostPower power) {
            task = new FutureTask<>(() -> power.allowSuspend(this));
            Thread writer = new Thread(task, "host power writes");
            writer.setDaemon(true);
            writer.start();
        }

        /** What {@link #allowSuspend} did, or null while it is still under way. */
        Allowed result() {
            if (!task.isDone()) {
                return null;
            }
            try {
                return task.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Allowed(0, "interrupted");
            }
        }

        /** Why it is still under way after {@code millis}: the power file it is reading or writing now. */
        String busy(long millis) {
            Path now = file;
            return "could not allow suspend: " + (now == null ? "listing the host's devices"
                    : now.getParent().getParent().getFileName() + " busy (" + now + ")") + " for " + millis + " ms";
        }
    }

    /** Starts {@link #allowSuspend} on a thread of its own. */
    Allowing allowSuspendAside() {
        return new Allowing(this);
    }

    /**
     * Allows runtime suspend with no delay for every device of the emulated tree the host has now. A device gone
     * meanwhile (the host disconnected it) is skipped. The files are written as sysfs has them, never made: a
     * kernel without runtime PM has none, and says so.
     */
    Allowed allowSuspend() {
        return allowSuspend(null);
    }

    private Allowed allowSuspend(Allowing progress) {
        int allowed = 0;
        String refused = null;
        for (Path device : tree()) {
            Path file = device.resolve("power/autosuspend_delay_ms");
            try {
                store(file, "0", progress);
                file = device.resolve("power/control");
                store(file, "auto", progress);
                allowed++;
            } catch (IOException e) {
                // gone, or its driver refuses: the dwell then only waits
                if (refused == null) {
                    refused = file + ": " + (e instanceof NoSuchFileException ? "no such file"
                            : e instanceof AccessDeniedException ? "permission denied" : e.getMessage());
                }
            }
        }
        return new Allowed(allowed, allowed > 0 ? null
                : refused != null ? refused : "the host had no " + device + " to suspend");
    }

    /**
     * Writes {@code value} into the power {@code file} unless it has it already: storing the delay a hub already
     * has (hub_probe: 0) runs update_autosuspend, and with it the device's runtime suspend, in the storing thread.
     */
    private static void store(Path file, String value, Allowing progress) throws IOException {
        if (progress != null) {
            progress.file = file;
        }
        if (value.equals(current(file))) {
            return;
        }
        Files.writeString(file, value, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** What {@code file} holds, or null when it cannot be read (gone, or a value the kernel will not show). */
    private static String current(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Why the host cannot autosuspend the emulated device however long it waits, or null when it may. Only hubs
     * are told apart (6.1 drivers/usb/core): the hub driver needs remote wakeup (hub_probe sets
     * needs_remote_wakeup), and autosuspend_check refuses a device that cannot wake up, which is one whose
     * configuration lacks the remote-wakeup bit (sysfs then has no {@code power/wakeup}); and hub_suspend refuses
     * an autosuspend while a child is awake. A child may still suspend in the moment after the dwell allowed it,
     * so an awake child counts only once {@code childrenHadTheirChance}. Seed 65's guided campaign spent 111 of
     * 274 s in dwelling connections, most of them hubs that waited their whole second for this.
     */
    String cannotSuspend(boolean childrenHadTheirChance) {
        if (!isHub()) {
            return null;
        }
        if (!Files.exists(device.resolve("power/wakeup"))) {
            return "a hub without remote wakeup cannot autosuspend (" + device.resolve("power/wakeup") + " is missing)";
        }
        if (childrenHadTheirChance) {
            for (Path child : tree()) {
                if (!child.equals(device) && isAwake(child)) {
                    return "a hub with an awake child cannot autosuspend (" + child.getFileName() + ")";
                }
            }
        }
        return null;
    }

    /** Whether an interface of the emulated device is bound to the hub driver. */
    private boolean isHub() {
        try (Stream<Path> entries = Files.list(device)) {
            return entries.filter(p -> p.getFileName().toString().startsWith(prefix + ":")).anyMatch(intf -> {
                try {
                    return Files.readSymbolicLink(intf.resolve("driver")).getFileName().toString().equals("hub");
                } catch (IOException | UnsupportedOperationException e) {
                    return false; // unbound, or gone meanwhile
                }
            });
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the host has {@code device} awake: runtime PM says "active" (a device already gone is not). */
    private static boolean isAwake(Path device) {
        return "active".equals(runtimeStatus(device));
    }

    /** Whether the host has suspended the emulated device (B-1): false when it has none. */
    boolean suspended() {
        return "suspended".equals(runtimeStatus(device));
    }

    /** What runtime PM says of {@code device} ("active", "suspended"…), or null when it is gone. */
    private static String runtimeStatus(Path device) {
        return current(device.resolve("power/runtime_status"));
    }

    /** The emulated device and those behind it: B-1 and B-1.p.q…, not their interfaces (B-1:1.0). */
    private List<Path> tree() {
        try (Stream<Path> entries = Files.list(device.getParent())) {
            return entries.filter(p -> {
                String name = p.getFileName().toString();
                return (name.equals(prefix) || name.startsWith(prefix + ".")) && name.indexOf(':') < 0;
            }).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
