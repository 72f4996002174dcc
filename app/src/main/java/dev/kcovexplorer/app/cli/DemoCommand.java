package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.app.demo.DemoScript;
import dev.kcovexplorer.app.demo.DemoVmOptions;
import dev.kcovexplorer.app.launch.StartView;
import dev.kcovexplorer.app.model.session.SessionFile;
import dev.kcovexplorer.app.ui.DemoRequest;
import dev.kcovexplorer.app.ui.DemoSession;
import dev.kcovexplorer.app.ui.ExplorerLauncher;
import dev.kcovexplorer.app.ui.LaunchRequest;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: the window with the Demo VM booted on the demo kernel (or any kcov kernel with the drivers
 * it needs); with {@code --script}, a hands-free demo that plugs devices and switches vhost traffic on cue,
 * then writes the snapshot and the session, powers the guest off and exits.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Boot the demo kernel under QEMU with the coverage agent inside and watch remote kcov "
                + "live: USB devices plugged through QMP light up hub.c, vhost-net traffic lights up vhost.c.",
            "With --script, a hands-free demo: the script's actions on cue, then the snapshot and the session "
                + "are written, the guest powers off and the command exits.",
            "A failed boot, a refused action or a failed task ends a hands-free demo at once with status 1, and "
                + "what it had not written yet stays unwritten: each file is named as it ends, 'wrote'/'saved' or "
                + "'not writing', so status 0 means both files hold the whole script.",
            "A script has one action per line, SECONDS ACTION [ARG] (seconds since the agent connected; # starts "
                + "a comment): plug usb-kbd|usb-mouse|usb-tablet|usb-storage|usb-net, unplug DEVICE, vhost on|off, "
                + "freeze NAME (what arrived since the previous freeze, as a run)."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--kernel", paramLabel = "BZIMAGE",
            description = "The kernel to boot (default: the demo kernel sample-data/kernel/build makes).")
    Path kernel;

    @Option(names = "--vmlinux", paramLabel = "VMLINUX",
            description = "Its image with debug info (default: the vmlinux next to the demo kernel).")
    Path vmlinux;

    @Option(names = "--session", paramLabel = "FILE",
            description = "The session to show (default: the bundled demo session when it was made from this "
                    + "vmlinux, else the vmlinux itself).")
    Path session;

    @Option(names = "--script", paramLabel = "FILE", description = "Actions to run hands-free, then exit.")
    Path script;

    @Option(names = "--snapshot", paramLabel = "OUT.png",
            description = "Render headless and write a PNG of the window after the last action.")
    Path snapshot;

    @Option(names = "--save-session", paramLabel = "OUT.kcovx",
            description = "Save the session (live runs and frozen runs) at the end.")
    Path saveSession;

    // hub.c at hub_event, as the bundled demo opens: at line 1 the demo's picture was hub.c's licence header.
    @Option(names = "--view", paramLabel = "VIEW", defaultValue = DemoSession.START_VIEW,
            description = "What the editor shows, as for open --view (default: ${DEFAULT-VALUE}).")
    String view;

    @Option(names = "--accel", paramLabel = "auto|tcg|kvm", defaultValue = "auto",
            description = "QEMU's accelerator: auto takes KVM only once a probe boot with it got through "
                    + "(default: ${DEFAULT-VALUE}).")
    String accel;

    @Option(names = "--qemu", paramLabel = "BINARY", defaultValue = "qemu-system-x86_64",
            description = "The QEMU to run, a path or a name on PATH (default: ${DEFAULT-VALUE}).")
    String qemu;

    @Option(names = "--settle", paramLabel = "SECONDS", defaultValue = "4",
            description = "After the last action, how long the last batches get before the snapshot "
                    + "(default: ${DEFAULT-VALUE}).")
    double settle;

    @Option(names = "--headless", description = "Render without a display even without --snapshot "
            + "(a hands-free demo on a server).")
    boolean headless;

    @Override
    public Integer call() throws Exception {
        DemoVmOptions defaults = DemoVmOptions.defaults(DemoVmOptions.thisRepository());
        Path bzImage = kernel != null ? kernel : defaults.bzImage();
        Path image = vmlinux != null ? vmlinux : kernel != null ? bzImage.resolveSibling("vmlinux") : defaults.vmlinux();
        if (!Files.isRegularFile(bzImage)) {
            throw new NoSuchFileException(bzImage.toString(), null, kernel != null ? "the kernel to boot"
                    : "no demo kernel yet: build it with sample-data/kernel/build (about 15 minutes on 2 cores) or "
                            + "give --kernel");
        }
        DemoScript actions = script == null ? null : DemoScript.read(script);
        if (settle < 0 || settle > 600) {
            throw new IllegalArgumentException("--settle " + settle + ": expected 0 to 600 seconds");
        }
        if (snapshot == null && saveSession == null && actions == null && headless) {
            throw new IllegalArgumentException("--headless shows nothing: give --script, --snapshot or --save-session");
        }
        StartView.parse(view);
        Path shown = session != null ? session : sessionFor(image).orElse(null);
        if (shown == null && !Files.isRegularFile(image)) {
            throw new NoSuchFileException(image.toString(), null, "the kernel's vmlinux, to show its coverage");
        }
        if (shown != null && !Files.isRegularFile(shown)) {
            throw new NoSuchFileException(shown.toString());
        }
        DemoVmOptions options = defaults.withKernel(bzImage, image).withAccel(accel(accel)).withQemu(qemu);
        LaunchRequest request = new LaunchRequest(shown, shown == null ? image : null, null, List.of(), snapshot, view,
                false);
        return ExplorerLauncher.launch(request, new DemoRequest(options, actions, settle, saveSession),
                headless || snapshot != null);
    }

    /** The bundled demo session when it was made from {@code image} (same build id), so nothing needs indexing. */
    private static Optional<Path> sessionFor(Path image) throws IOException {
        Optional<Path> demo = DemoSession.locate();
        if (demo.isEmpty() || !Files.isRegularFile(image)) {
            return Optional.empty();
        }
        String ours;
        try (ElfFile elf = ElfFile.open(image)) {
            ours = elf.buildId();
        }
        String theirs = SessionFile.buildId(demo.get());
        return ours != null && ours.equalsIgnoreCase(theirs) ? demo : Optional.empty();
    }

    private static DemoVmOptions.Accel accel(String name) {
        try {
            return DemoVmOptions.Accel.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--accel '" + name + "': expected auto, tcg or kvm");
        }
    }
}
