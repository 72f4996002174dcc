package dev.kcovexplorer.app.model.source;

import dev.kcovexplorer.kcov.AtomicFiles;
import dev.kcovexplorer.kcov.FileTrees;
import dev.kcovexplorer.symbolizer.index.AbandonedFiles;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * The files a session needs from one source tarball, kept in a directory of the user cache. Files arrive two
 * ways: one at a time when an editor asks for them ({@link TarSeeker}, a second or two), and all of them in one
 * sequential pass over the archive in the background ({@link #unpackRest}). Each file is written to a temporary
 * name and renamed, so a file in the tree is always whole.
 *
 * <p>The tree is marked complete only when that pass read the archive to its end (xz and gzip check their CRCs
 * there) and every wanted file was then hashed: a kill, a full disk or a damaged archive at any point leaves a
 * tree that is not marked, and the next pass runs again over it (files already there are simply rewritten).
 * Until then a missing file is "not unpacked yet", never "not in the package".
 *
 * <p>The marker records, for each path, whether the pass found it in the archive: only those it did not find are
 * "not in the package". A file the archive has but the tree lost since (an rm, a Re-fetch cut short) is read from
 * the archive again, whatever its kind, and the next {@link #unpackRest} unpacks a tree missing such files again.
 */
final class UnpackedSources {
    /**
     * Inside the tree, written last: {@link #MARKER_HEADER}, then one line per path a finished pass covered,
     * {@code + path} when the archive has it, {@code - path} when it does not.
     */
    static final String MARKER = ".kcov-explorer-complete";
    /**
     * The marker's first line. Earlier markers listed the covered paths alone, which cannot tell a file the archive
     * lacks from one lost since: such a tree is unpacked once more.
     */
    static final String MARKER_HEADER = "kcov-explorer sources 2";
    private static final String TEMP = ".kcov-explorer-tmp";
    /**
     * In {@link #TEMP}: {@code file.PID.RANDOM.part}, a file being written by process PID or one it left when killed;
     * earlier versions' {@code fileRANDOM.part}, without the pid, once an hour old (a file is written in milliseconds).
     */
    private static final AbandonedFiles ABANDONED_PARTS = new AbandonedFiles("*.part",
            Pattern.compile("file\\.(\\d{1,18})\\.\\d+\\.part"), Pattern.compile("file\\d+\\.part"), Duration.ofHours(1));
    /** What the pipeline before this one left: its marker, written without checks, and its temporary trees. */
    private static final String LEGACY_MARKER = ".complete";

    private final Path archive;
    private final Path tree;
    private final Map<String, String> sha256ByPath;
    private final TarSeeker seeker;

    /** Counts of the wanted files after a check of the whole tree. */
    record Check(int verified, int drifted, int notInArchive) {
    }

    /** What a finished pass found: the covered paths the archive has, and those it does not. */
    private record Marker(Set<String> inArchive, Set<String> absent) {
        boolean covers(Set<String> paths) {
            return paths.stream().allMatch(path -> inArchive.contains(path) || absent.contains(path));
        }
    }

    UnpackedSources(Path archive, Path tree, Map<String, String> sha256ByPath) {
        this.archive = archive;
        this.tree = tree;
        this.sha256ByPath = Map.copyOf(sha256ByPath);
        this.seeker = new TarSeeker(archive);
    }

    Path tree() {
        return tree;
    }

    Path archive() {
        return archive;
    }

    /** True once a finished pass covered every wanted path. */
    boolean isComplete() {
        return marker().filter(marker -> marker.covers(sha256ByPath.keySet())).isPresent();
    }

    /** True when a finished pass over the archive did not find {@code path} in it. */
    boolean isNotInArchive(String path) {
        return marker().filter(marker -> marker.absent().contains(path)).isPresent();
    }

    /**
     * The file's bytes: from the tree, else read on demand from the archive (and kept in the tree). Empty when a
     * finished pass did not find it in the archive, or the on-demand search did not find it.
     *
     * <p>A file a finished pass found but the tree lost since is searched for again, as before the pass: a block of
     * a multi-block .tar.xz, the archive up to the file otherwise. One that is found is put back.
     */
    Optional<byte[]> read(String path, BooleanSupplier cancelled) throws IOException {
        Path file = fileOf(path);
        if (Files.isRegularFile(file)) {
            return Optional.of(Files.readAllBytes(file));
        }
        if (!sha256ByPath.containsKey(path) || isNotInArchive(path)) {
            return Optional.empty();
        }
        Optional<byte[]> found = seeker.read(path, cancelled);
        if (found.isPresent()) {
            store(path, found.get());
        }
        return found;
    }

    /**
     * Makes the tree complete: one pass over the whole archive writes every wanted file, the archive is read to
     * its end, every wanted file is hashed, and only then the marker is written. On a complete tree only the
     * check runs, unless a file the archive has is missing from the tree: then the pass runs again, the marker
     * staying (a pass cut short leaves the tree as damaged as it found it). Another process unpacking the same tree
     * is waited for, and so is a {@link #delete} of it.
     *
     * <p>The marker is written only when every file the pass found is in the tree at its end: one removed meanwhile
     * by something that does not take the lock (an rm, an earlier version's Re-fetch) leaves the tree unmarked.
     *
     * @throws CancellationException when cancelled; what was written stays for the next pass
     */
    Check unpackRest(Consumer<SourceProgress> progress, BooleanSupplier cancelled) throws IOException {
        try (FileChannel channel = openLock();
             FileLock lock = waitForLock(channel, progress, cancelled)) {
            // Created under the lock: a delete that held it may just have removed the tree.
            Files.createDirectories(tree);
            Optional<Marker> previous = marker();
            if (previous.isPresent() && previous.get().covers(sha256ByPath.keySet()) && !lostFiles(previous.get())) {
                return check();
            }
            Files.deleteIfExists(tree.resolve(LEGACY_MARKER));
            Set<String> found = pass(progress, cancelled);
            Check check = check();
            for (String path : found) {
                if (!Files.isRegularFile(fileOf(path))) {
                    return check;
                }
            }
            // Paths other sessions' passes covered keep what those found.
            Set<String> inArchive = new TreeSet<>(previous.map(Marker::inArchive).orElse(Set.of()));
            Set<String> absent = new TreeSet<>(previous.map(Marker::absent).orElse(Set.of()));
            inArchive.removeAll(sha256ByPath.keySet());
            absent.removeAll(sha256ByPath.keySet());
            for (String path : sha256ByPath.keySet()) {
                (found.contains(path) ? inArchive : absent).add(path);
            }
            StringBuilder text = new StringBuilder(MARKER_HEADER).append('\n');
            inArchive.forEach(path -> text.append("+ ").append(path).append('\n'));
            absent.forEach(path -> text.append("- ").append(path).append('\n'));
            AtomicFiles.write(tree.resolve(MARKER), out -> out.write(text.toString().getBytes(StandardCharsets.UTF_8)));
            return check;
        }
    }

    /** True when a wanted file the archive has is not in the tree. */
    private boolean lostFiles(Marker marker) throws IOException {
        for (String path : sha256ByPath.keySet()) {
            if (marker.inArchive().contains(path) && !Files.isRegularFile(fileOf(path))) {
                return true;
            }
        }
        return false;
    }

    /** The marker of a finished pass; empty without one, or for an unreadable or earlier version's marker. */
    private Optional<Marker> marker() {
        Path marker = tree.resolve(MARKER);
        if (!Files.isRegularFile(marker)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(marker, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).equals(MARKER_HEADER)) {
                return Optional.empty();
            }
            Set<String> inArchive = new HashSet<>();
            Set<String> absent = new HashSet<>();
            for (String line : lines.subList(1, lines.size())) {
                if (line.startsWith("+ ")) {
                    inArchive.add(line.substring(2));
                } else if (line.startsWith("- ")) {
                    absent.add(line.substring(2));
                } else {
                    return Optional.empty();
                }
            }
            return Optional.of(new Marker(inArchive, absent));
        } catch (IOException | UncheckedIOException unreadable) {
            return Optional.empty();
        }
    }

    /**
     * Removes what killed runs left: their temporary files in this tree, and the {@code *.partial*} folders that the
     * pipeline before this one left next to the trees. Call before anything reads or writes the tree. Another
     * window, of this or another process, may be unpacking the same tree: the files it is writing are left alone.
     */
    void cleanStale() throws IOException {
        ABANDONED_PARTS.removeFrom(tree.resolve(TEMP));
        Path treesDir = tree.getParent();
        if (!Files.isDirectory(treesDir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(treesDir)) {
            for (Path entry : entries.toList()) {
                if (Files.isDirectory(entry) && entry.getFileName().toString().contains(".partial")) {
                    FileTrees.delete(entry);
                }
            }
        }
    }

    /**
     * Drops the tree, for "Re-fetch sources". The marker goes first: deleted last (children first, names in reverse
     * order), a delete cut short by a kill or an error left it over a tree missing files, which then read as "not in
     * the archive" at every later start.
     *
     * <p>Under the tree's lock, so a running {@link #unpackRest} is waited for (cancel it first): interleaved, the
     * pass went on writing and marked the tree complete over the files the delete had removed.
     */
    void delete() throws IOException {
        try (FileChannel channel = openLock();
             FileLock lock = waitForLock(channel, step -> { }, () -> false)) {
            Files.deleteIfExists(tree.resolve(MARKER));
            FileTrees.delete(tree);
        }
    }

    /** The lock file beside the tree, held by a pass or a delete of it (by any process). */
    private FileChannel openLock() throws IOException {
        Files.createDirectories(tree.getParent());
        return FileChannel.open(tree.resolveSibling(tree.getFileName() + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    /** Unpacks every wanted file in one pass; returns the wanted paths the archive has. */
    private Set<String> pass(Consumer<SourceProgress> progress, BooleanSupplier cancelled) throws IOException {
        Set<String> found = new HashSet<>();
        long size = Files.size(archive);
        String message = "Unpacking " + archive.getFileName();
        long[] lastReport = {-1};
        try (SourceArchive.Opened opened = SourceArchive.open(archive, read -> {
            if (read - lastReport[0] >= 1 << 20 || read == size) {
                lastReport[0] = read;
                progress.accept(new SourceProgress(message, (double) read / size));
            }
        })) {
            for (TarArchiveEntry entry = opened.tar().getNextEntry(); entry != null; entry = opened.tar().getNextEntry()) {
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException("unpacking " + archive + " was cancelled");
                }
                String path = relativePath(entry.getName());
                if (entry.isFile() && sha256ByPath.containsKey(path)) {
                    store(path, opened.tar());
                    found.add(path);
                }
            }
            // The tar end-of-archive records come before the end of the xz/gzip stream, where its checks are.
            opened.decompressed().transferTo(OutputStream.nullOutputStream());
            return found;
        } catch (IOException e) {
            throw e.getMessage() != null && e.getMessage().startsWith(archive.toString()) ? e
                    : new IOException(archive + ": " + what(e), e);
        }
    }

    /** What went wrong, for a person: an archive cut short ends its stream with an EOFException and no message. */
    private static String what(IOException e) {
        if (e.getMessage() != null) {
            return e.getMessage();
        }
        return e instanceof EOFException ? "the archive ends early (cut short?)" : e.getClass().getSimpleName();
    }

    private Check check() throws IOException {
        int verified = 0;
        int drifted = 0;
        int absent = 0;
        for (Map.Entry<String, String> wanted : sha256ByPath.entrySet()) {
            Path file = fileOf(wanted.getKey());
            if (!Files.isRegularFile(file)) {
                absent++;
            } else if (Sha256.of(Files.readAllBytes(file)).equals(wanted.getValue())) {
                verified++;
            } else {
                drifted++;
            }
        }
        return new Check(verified, drifted, absent);
    }

    private FileLock waitForLock(FileChannel channel, Consumer<SourceProgress> progress, BooleanSupplier cancelled)
            throws IOException {
        while (true) {
            try {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    return lock;
                }
            } catch (OverlappingFileLockException sameProcess) {
                // another window of this JVM unpacks the same tree: wait for it like for another process
            }
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("waiting for " + tree + " was cancelled");
            }
            progress.accept(new SourceProgress("Waiting for another KCOV Explorer to unpack " + tree.getFileName(), -1));
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while waiting for " + tree);
            }
        }
    }

    private void store(String path, byte[] bytes) throws IOException {
        store(path, new java.io.ByteArrayInputStream(bytes));
    }

    /**
     * Writes one file by temporary name and rename. Not flushed to disk one by one (thousands of fsyncs): a
     * process killed mid-way loses nothing written, and the bytes are hashed against the session on every read.
     */
    private void store(String path, InputStream content) throws IOException {
        Path file = fileOf(path);
        Path temp = Files.createDirectories(tree.resolve(TEMP));
        Path partial = Files.createTempFile(temp, "file." + ProcessHandle.current().pid() + ".", ".part");
        try {
            Files.copy(content, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.createDirectories(file.getParent());
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private Path fileOf(String path) throws IOException {
        Path file = tree.resolve(path).normalize();
        if (!file.startsWith(tree) || file.equals(tree)) {
            throw new IOException("source path " + path + " points outside " + tree);
        }
        return file;
    }

    /** The entry name under the tarball's top directory ({@code linux-source-6.1/}). */
    static String relativePath(String entryName) {
        String name = entryName.startsWith("./") ? entryName.substring(2) : entryName;
        int slash = name.indexOf('/');
        return slash < 0 ? "" : name.substring(slash + 1);
    }
}
