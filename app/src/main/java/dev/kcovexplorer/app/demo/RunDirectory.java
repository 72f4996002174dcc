package dev.kcovexplorer.app.demo;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One boot's directory, shared read-write with the guest at the same path: the owner's pid (so a later start
 * can tell an orphan), the agent's token (readable by its owner only, as the agent demands), the guest's
 * command, QEMU's pid, QMP socket, serial log and the storage stick's image.
 */
final class RunDirectory {
    private static final Duration FRESH = Duration.ofMinutes(1);
    /** The stick's size: enough for a partition table probe and a SCSI scan, nothing to copy. */
    private static final long STICK_BYTES = 16L << 20;

    private final Path dir;
    private final String token;

    private RunDirectory(Path dir, String token) {
        this.dir = dir;
        this.token = token;
    }

    /** A new directory below {@code root}, owned by this JVM, with a fresh token and the guest's command. */
    static RunDirectory create(Path root, DemoVmOptions options, AgentArchive.Prepared agent) throws IOException {
        Files.createDirectories(root);
        Path dir = Files.createTempDirectory(root, "run-");
        Files.writeString(dir.resolve("owner"), Long.toString(ProcessHandle.current().pid()));
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String token = Base64.getEncoder().encodeToString(secret);
        Path tokenFile = dir.resolve("token");
        Files.createFile(tokenFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tokenFile, token + "\n");
        RunDirectory run = new RunDirectory(dir, token);
        Files.writeString(dir.resolve(".kx-command"), QemuCommand.guestCommand(options, agent, dir));
        return run;
    }

    Path path() {
        return dir;
    }

    /** The secret the agent asks the window to prove it knows. */
    String token() {
        return token;
    }

    Path qmpSocket() {
        return dir.resolve("qmp.sock");
    }

    Path serialLog() {
        return dir.resolve("serial.log");
    }

    /**
     * Sets the serial log aside as the KVM probe boot's, before TCG boots: a console reader of the probe boot that is
     * still reading writes on into that file, not into the new boot's log.
     */
    void setProbeSerialLogAside() throws IOException {
        if (Files.exists(serialLog())) {
            Files.move(serialLog(), dir.resolve("serial-kvm-probe.log"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    Path qemuErrors() {
        return dir.resolve("qemu.err");
    }

    Path pidFile() {
        return dir.resolve("qemu.pid");
    }

    /** The storage stick's raw image, made (sparse) on first use. */
    Path stick() throws IOException {
        Path image = dir.resolve("stick.img");
        if (!Files.exists(image)) {
            try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
                file.setLength(STICK_BYTES);
            }
        }
        return image;
    }

    /** Made less than a minute ago: its owner may not have written its pid yet. */
    static boolean isFresh(Path run) {
        try {
            FileTime made = Files.getLastModifiedTime(run);
            return made.toInstant().isAfter(Instant.now().minus(FRESH));
        } catch (IOException e) {
            return false;
        }
    }

    void delete() {
        delete(dir);
    }

    static void delete(Path run) {
        try (Stream<Path> files = Files.walk(run)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // left behind: a later sweep tries again
                }
            });
        } catch (IOException e) {
            // gone already
        }
    }
}
