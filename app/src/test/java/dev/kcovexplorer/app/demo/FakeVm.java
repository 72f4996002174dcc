package dev.kcovexplorer.app.demo;

import dev.kcovexplorer.app.live.DemoKernel;
import dev.kcovexplorer.testing.Requirements;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The demo VM's stand-in for QEMU ({@code fake-qemu}): a console recorded from a real boot of the demo
 * kernel, the real agent replaying a real capture behind the forwarded ports, and a real (paused, kernel-less)
 * QEMU behind the QMP socket. Plus an observer that keeps everything a {@link DemoVm} says.
 */
final class FakeVm {
    static final Path CAPTURE = Path.of("../kcov/src/test/resources/dev/kcovexplorer/kcov/agent/usb-kbd-hotplug.kcov.gz");

    private FakeVm() {
    }

    /** Options whose QEMU is the fake in {@code mode} printing {@code serialLog}, the kernel a placeholder file. */
    static DemoVmOptions options(Path dir, String mode, String serialLog, String kernelConfig) throws IOException {
        Requirements.tools("qemu-system-x86_64", "busybox");
        Path fake = copy("fake-qemu", dir);
        Path serial = copy(serialLog, dir);
        Path kernel = Files.createDirectories(dir.resolve("kernel"));
        Files.writeString(kernel.resolve("bzImage"), "not booted: the fake prints a recorded console");
        if (kernelConfig != null) {
            Files.writeString(kernel.resolve("config"), kernelConfig);
        }
        DemoVmOptions defaults = DemoVmOptions.defaults(DemoKernel.ROOT);
        Path wrapper = dir.resolve("qemu-system-x86_64");
        Files.writeString(wrapper, "#!/bin/sh\nexec bash '" + fake + "' --serial '" + serial + "' --mode " + mode
                + " --classpath '" + defaults.agentClassPath() + "' --replay '" + CAPTURE.toAbsolutePath() + "' -- \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        return defaults.withKernel(kernel.resolve("bzImage"), null).withQemu(wrapper.toString())
                .withAccel(DemoVmOptions.Accel.TCG);
    }

    static DemoVm vm(DemoVmOptions options, Path dir) {
        return new DemoVm(options, dir.resolve("vm/runs"), dir.resolve("vm/kvm-verdict"));
    }

    private static Path copy(String resource, Path dir) throws IOException {
        Path target = dir.resolve(resource);
        try (InputStream in = FakeVm.class.getResourceAsStream(resource)) {
            Files.copy(in, target);
        }
        return target;
    }

    /** Polls {@code condition} until it holds, or fails saying what was awaited. */
    static void await(Callable<Boolean> condition, String what, int seconds) throws Exception {
        await(condition, () -> what, seconds);
    }

    /** Polls {@code condition} until it holds, or fails saying what was awaited and what {@code state} says now. */
    static void await(Callable<Boolean> condition, java.util.function.Supplier<String> what, int seconds)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + seconds + " s: " + what.get());
            }
            Thread.sleep(20);
        }
    }

    /** Everything a demo VM tells its observers, in order. */
    static final class Heard implements DemoVm.Observer {
        final List<DemoState> states = new CopyOnWriteArrayList<>();
        final List<String> messages = new CopyOnWriteArrayList<>();
        final List<String> console = new CopyOnWriteArrayList<>();
        final List<String> refusals = new CopyOnWriteArrayList<>();
        volatile List<TimelineMarker> markers = List.of();

        @Override
        public void stateChanged(DemoState state, String message) {
            states.add(state);
            messages.add(message);
        }

        @Override
        public void consoleLine(String line, double bootProgress) {
            console.add(line);
        }

        @Override
        public void timelineChanged(List<TimelineMarker> now) {
            markers = now;
        }

        @Override
        public void actionFailed(String message) {
            refusals.add(message);
        }

        DemoState last() {
            return states.isEmpty() ? DemoState.STOPPED : states.get(states.size() - 1);
        }

        String lastMessage() {
            return messages.isEmpty() ? "" : messages.get(messages.size() - 1);
        }

        List<DemoState> distinctStates() {
            List<DemoState> distinct = new ArrayList<>();
            for (DemoState state : states) {
                if (distinct.isEmpty() || distinct.get(distinct.size() - 1) != state) {
                    distinct.add(state);
                }
            }
            return distinct;
        }
    }
}
