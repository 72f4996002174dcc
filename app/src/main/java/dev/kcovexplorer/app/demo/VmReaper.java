package dev.kcovexplorer.app.demo;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure no demo QEMU outlives the program that started it: a shutdown hook kills the VMs still running
 * when this JVM exits, and a start first kills the VMs of run directories whose owner died without running
 * its hooks (killed outright), found by the pid files they left.
 */
final class VmReaper {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(VmReaper::killAll, "demo-vm-reaper"));
    }

    private VmReaper() {
    }

    /** Kills {@code vm} when this JVM exits, unless it ended before. */
    static void register(Process vm) {
        LIVE.add(vm);
        vm.onExit().thenRun(() -> LIVE.remove(vm));
    }

    private static void killAll() {
        for (Process vm : LIVE) {
            vm.descendants().forEach(ProcessHandle::destroyForcibly);
            vm.destroyForcibly();
        }
    }

    /**
     * In each run directory below {@code root}: the QEMU whose {@code owner} (a JVM pid) is gone is killed,
     * and the directory removed. Returns how many VMs were killed.
     */
    static int killOrphans(Path root) {
        int killed = 0;
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (DirectoryStream<Path> runs = Files.newDirectoryStream(root)) {
            for (Path run : runs) {
                Path owner = run.resolve("owner");
                if (Files.exists(owner) ? handle(owner).map(ProcessHandle::isAlive).orElse(false) : RunDirectory.isFresh(run)) {
                    continue; // in use, or being set up by its owner right now
                }
                Optional<ProcessHandle> vm = handle(run.resolve("qemu.pid"));
                if (vm.isPresent() && vm.get().isAlive() && runsIn(vm.get(), run)) {
                    vm.get().descendants().forEach(ProcessHandle::destroyForcibly);
                    vm.get().destroyForcibly();
                    try {
                        vm.get().onExit().get(5, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        continue; // still dying: the next sweep removes its directory
                    }
                    killed++;
                }
                RunDirectory.delete(run);
            }
        } catch (IOException e) {
            // nothing to sweep, or not ours to read
        }
        return killed;
    }

    /** A pid reused by another program is not ours: the VM's command line names its run directory. */
    private static boolean runsIn(ProcessHandle process, Path run) {
        return process.info().commandLine().map(line -> line.contains(run.toString())).orElse(false);
    }

    private static Optional<ProcessHandle> handle(Path pidFile) {
        try {
            return ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
