package dev.kcovexplorer.app.demo;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** {@link FakeVm} for tests outside this package (the Demo VM window's). */
public final class FakeVmAccess {
    private FakeVmAccess() {
    }

    /** The fake QEMU in {@code mode} printing the recorded boot console; {@code kernelConfig} null for none. */
    public static DemoVmOptions options(Path dir, String mode, String kernelConfig) throws Exception {
        return FakeVm.options(dir, mode, "boot-serial.log", kernelConfig);
    }

    public static DemoVm vm(DemoVmOptions options, Path dir) {
        return FakeVm.vm(options, dir);
    }

    public static void await(Callable<Boolean> condition, Supplier<String> what, int seconds) throws Exception {
        FakeVm.await(condition, what, seconds);
    }
}
