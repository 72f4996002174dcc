package dev.kcovexplorer.kcov;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import java.util.concurrent.CancellationException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes user files so that a crash or a full disk never leaves half a file: the content goes to a
 * temporary file in the same directory, is flushed to disk, and is renamed over the target. The one
 * way the project writes a file in place of another.
 *
 * <p>A symbolic link is followed: its target is replaced, the link stays. A FIFO or a device is no
 * file to replace: the content is written through to it (so {@code -o /dev/null} discards, even as
 * root). Temporary files are named {@code .NAME.pid-PID.RANDOM.tmp}; those a killed process left next
 * to the target (its pid gone, or the pid-less {@code .NAME<digits>.tmp} of earlier versions) are
 * removed by the next write.
 */
public final class AtomicFiles {
    private static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    /** Something that writes the whole content to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * A writer's say over whether its file goes in place ({@link #commit}), and its word that it did ({@link #placed}),
     * both on the writing thread.
     */
    @FunctionalInterface
    public interface Commit {
        /** Asked once, right before the content becomes the target's: whether it does. */
        boolean commit();

        /**
         * Told right after the rename (or the write through) returned: the target holds the content now, whatever
         * fails after it. What reports the file is taken from here, not from the write returning: a failure after
         * the rename would otherwise name a file in place as not written.
         */
        default void placed() {
        }
    }

    public static void write(Path target, Content content) throws IOException {
        write(target, content, () -> true);
    }

    /**
     * Writes as {@link #write(Path, Content)} does, asking {@code commit} once, right before the content becomes the
     * target's (the rename; for a FIFO or a device, before the first byte goes to it): when it says no, the target is
     * left as it was, the temporary file removed, and a {@link CancellationException} thrown. For a writer whose file
     * may be refused while it is written (a hands-free demo's session, when a task fails meanwhile): {@code commit}
     * decides atomically against the refusal, so the file exists exactly when it said yes and the rename succeeded,
     * which {@link Commit#placed} tells.
     */
    public static void write(Path target, Content content, Commit commit) throws IOException {
        Path absolute = followLinks(target.toAbsolutePath());
        if (Files.isDirectory(absolute)) {
            throw new IOException(target + ": is a directory, expected a file name to write");
        }
        if (Files.exists(absolute) && !Files.isRegularFile(absolute)) {
            committed(commit, target);
            writeThrough(absolute, content);
            commit.placed();
            return;
        }
        Path dir = absolute.getParent();
        if (!Files.isDirectory(dir)) {
            throw new IOException(target + ": the directory " + dir + " does not exist");
        }
        String name = absolute.getFileName().toString();
        removeStaleTemps(dir, name);
        Path temp = createTemp(dir, "." + name + ".pid-" + ProcessHandle.current().pid() + ".");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            committed(commit, target);
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            commit.placed();
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void committed(Commit commit, Path target) {
        if (!commit.commit()) {
            throw new CancellationException(target + ": not written, its writer refused it");
        }
    }

    /** The file a chain of symbolic links ends at (which need not exist yet). */
    private static Path followLinks(Path path) throws IOException {
        Path current = path;
        for (int hops = 0; Files.isSymbolicLink(current); hops++) {
            if (hops == 40) {
                throw new IOException(path + ": too many levels of symbolic links");
            }
            current = current.resolveSibling(Files.readSymbolicLink(current)).normalize();
        }
        return current;
    }

    /** A FIFO, a device, a socket: the content goes to it as it is, nothing is renamed over it. */
    private static void writeThrough(Path special, Content content) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(special, StandardOpenOption.WRITE),
                1 << 16)) {
            content.writeTo(out);
        }
    }

    /**
     * Removes temporary files of this target that no running process is writing: ours from a process
     * that is gone, and the pid-less ones of earlier versions.
     */
    private static void removeStaleTemps(Path dir, String name) {
        Pattern ours = Pattern.compile("\\." + Pattern.quote(name) + "(?:\\.pid-(\\d+)\\.)?\\d+" + Pattern.quote(TEMP_SUFFIX));
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "." + globEscape(name) + "*" + TEMP_SUFFIX)) {
            for (Path entry : entries) {
                Matcher m = ours.matcher(entry.getFileName().toString());
                if (m.matches() && (m.group(1) == null || !isRunning(Long.parseLong(m.group(1))))
                        && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(entry);
                }
            }
        } catch (IOException | NumberFormatException | java.nio.file.DirectoryIteratorException e) {
            // Cleaning up is a courtesy: the write itself must not fail because of it.
        }
    }

    private static boolean isRunning(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static String globEscape(String name) {
        return name.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
    }

    /**
     * A temporary file readable like any file the user writes (rw-r--r-- before the umask), not the
     * owner-only mode temporary files get by default: it becomes the user's file when renamed.
     */
    private static Path createTemp(Path dir, String prefix) throws IOException {
        try {
            return Files.createTempFile(dir, prefix, TEMP_SUFFIX,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        } catch (UnsupportedOperationException notPosix) {
            return Files.createTempFile(dir, prefix, TEMP_SUFFIX);
        }
    }

    /** Refuses an output that is (or links to) one of the inputs: writing it would destroy the data. */
    public static void requireNotAnInput(Path output, Collection<Path> inputs) throws IOException {
        for (Path input : inputs) {
            boolean same = Files.exists(output) && Files.exists(input) ? Files.isSameFile(output, input)
                    : output.toAbsolutePath().normalize().equals(input.toAbsolutePath().normalize());
            if (same) {
                throw new IOException(output + ": refusing to overwrite an input file; choose another output");
            }
        }
    }
}
