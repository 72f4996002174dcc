package dev.kcovexplorer.symbolizer.index;

import dev.kcovexplorer.symbolizer.Symbolizer;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.elf.ElfSection;
import dev.kcovexplorer.symbolizer.points.CoveragePointScanner;
import dev.kcovexplorer.symbolizer.points.CoveragePoints;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Kernel indexes saved under {@code index} of a cache directory (usually {@link CacheDirectory#get()}:
 * {@code ~/.cache/kcov-explorer/index}), one file per build id (per path when the image has
 * none; a placed module's per build id and layout). A file carries the vmlinux's size and mtime; it
 * is reused, memory-mapped, only when both and the build id still match and its checksum holds, and
 * rebuilt otherwise. Files are written to a temporary name and renamed, so a crash or a concurrent
 * build never leaves half a file behind.
 */
public final class KernelIndexCache {
    private static final String TEMP_SUFFIX = ".tmp";
    /**
     * {@code .NAME.kidx.pid-PID.RANDOM.tmp}: a save under way, or one its process (PID) left when killed; earlier
     * versions' {@code .kidx-N.tmp}, without the pid, once an hour old (a save takes seconds).
     */
    private static final AbandonedFiles ABANDONED_TEMPS = new AbandonedFiles(".*" + TEMP_SUFFIX,
            Pattern.compile("\\..+\\.kidx\\.pid-(\\d{1,18})\\.\\d+\\.tmp"), Pattern.compile("\\.kidx-\\d+\\.tmp"),
            Duration.ofHours(1));
    private static final byte[] MAGIC = "KCOVXCAC".getBytes(StandardCharsets.US_ASCII);
    /**
     * Bumped when the index of the same vmlinux changes: 2 = cold-part points get their function's file; 3 = files
     * of units compiled in a copy of the tree are named under the source root (and only exported functions link
     * modules' tail calls); 4 = tail jumps into functions that only tail-jump themselves lead to tail sites too;
     * 5 = a tail jump in a {@code foo.cold} part is {@code foo}'s; 6 = no points in code no function symbol covers
     * (overridden weak copies); 7 = a tail jump in a {@code foo.cold} part with no one {@code foo} is the part's again;
     * 8 = such a part's sites and tail jumps are the function's that jumps into it, by a conditional jump too.
     */
    private static final int CACHE_VERSION = 8;
    /** Magic, version, reserved, size, mtime: a multiple of 8 so the codec's columns stay aligned. */
    private static final int HEADER = 32;

    /** What {@link #open} did. */
    public enum Status {
        REUSED("reused the cached index"),
        BUILT("built the index"),
        REBUILT_STALE("rebuilt the stale index"),
        REBUILT_CORRUPT("rebuilt the corrupt index");

        private final String description;

        Status(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /**
     * @param detail why it was rebuilt, or that saving failed; empty when there is nothing to add
     */
    public record Result(KernelIndex index, Status status, Path file, String detail) {
    }

    /**
     * An index ready to use whose file may still be being written ({@link #openIfSavingConcurrently}):
     * the caller answers from {@link #index()} meanwhile and calls {@link #finish()} before it exits.
     * The file is written to a temporary name and renamed only once complete, so a process killed
     * before that leaves no file that looks like an index. The image stays open until then, for
     * {@link #dwarf()}.
     */
    public static final class Opening {
        private final KernelIndex index;
        private final Status status;
        private final Path file;
        private final String detail;
        /** The save's failure message ("" when it worked); null when nothing is saved. */
        private final Future<String> saved;
        private final ElfFile image;
        /** The DWARF reader the build read and symbolized every site with; null when nothing was built. */
        private final Symbolizer built;
        private Symbolizer dwarf;

        private Opening(KernelIndex index, Status status, Path file, String detail, Future<String> saved,
                        ElfFile image, Symbolizer built) {
            this.index = index;
            this.status = status;
            this.file = file;
            this.detail = detail;
            this.saved = saved;
            this.image = image;
            this.built = built;
        }

        public KernelIndex index() {
            return index;
        }

        /**
         * The DWARF reader of the image the index is of, for addresses that are no coverage point: the one the
         * build just read its units with (a kernel's DWARF is read once per run, not again for the few addresses
         * that miss), else read now from the image opened for the index. Valid until {@link #finish()}.
         */
        public Symbolizer dwarf() {
            if (dwarf == null) {
                dwarf = built != null ? built : Symbolizer.of(image);
            }
            return dwarf;
        }

        /** Waits until the index is saved (or saving failed), closes the image, then says what was done. */
        public Result finish() throws IOException {
            String failure = "";
            try {
                if (saved != null) {
                    failure = saved.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while saving " + file);
            } catch (ExecutionException e) {
                failure = String.valueOf(e.getCause());
            } finally {
                image.close();
            }
            String all = failure.isEmpty() ? detail
                    : (detail.isEmpty() ? "" : detail + "; ") + "could not save it: " + failure;
            return new Result(index, status, file, all);
        }
    }

    private final Path directory;
    private final KernelIndexBuilder builder;

    public KernelIndexCache(Path directory, KernelIndexBuilder builder) {
        this.directory = directory.resolve("index");
        this.builder = builder;
    }

    /**
     * Answers without an index, from the DWARF reader a build's preparation already read (valid only during the
     * call: the file closes after it), so that deciding against a build does not cost a second read of the DWARF.
     */
    @FunctionalInterface
    public interface WithoutIndex {
        void answer(Symbolizer symbolizer) throws IOException;
    }

    /** The cached index of {@code vmlinux}, built and saved first when missing, stale or corrupt. */
    public Result open(Path vmlinux, BuildMonitor monitor) throws IOException {
        return open(ElfFile.open(vmlinux), vmlinux, false, monitor, points -> true, null, false).orElseThrow().finish();
    }

    /**
     * The cached index of {@code vmlinux} when a fresh, intact one exists; otherwise one built and saved
     * when {@code worthBuilding} accepts the image's coverage points (scanned once, for the decision and
     * the build), saved before this returns; else empty, once {@code withoutIndex} has answered. For callers that
     * can do without an index when building it would cost more than it saves (symbolizing a few addresses must not
     * wait for a whole-kernel build). The caller {@link Opening#finish()}es it.
     */
    public Optional<Opening> openIf(Path vmlinux, BuildMonitor monitor, Predicate<CoveragePoints> worthBuilding,
                                    WithoutIndex withoutIndex) throws IOException {
        return open(ElfFile.open(vmlinux), vmlinux, false, monitor, worthBuilding, withoutIndex, false);
    }

    /**
     * {@link #openIf}, except that a built index is returned before its file is written: it is saved on
     * a thread of its own while the caller uses it (writing out its answers), and {@link Opening#finish()}
     * waits for that.
     */
    public Optional<Opening> openIfSavingConcurrently(Path vmlinux, BuildMonitor monitor,
                                                      Predicate<CoveragePoints> worthBuilding,
                                                      WithoutIndex withoutIndex) throws IOException {
        return open(ElfFile.open(vmlinux), vmlinux, false, monitor, worthBuilding, withoutIndex, true);
    }

    /**
     * The cached index of the relocatable object {@code module} placed at {@code sectionAddresses}
     * ({@link ElfFile#place(Map)}): an ordinary index over the placed addresses, one file per build id
     * and layout, so that each boot's layout of a module gets its own.
     */
    public Result openPlaced(Path module, Map<String, Long> sectionAddresses, BuildMonitor monitor) throws IOException {
        return open(ElfFile.openPlaced(module, sectionAddresses), module, true, monitor, points -> true, null, false)
                .orElseThrow().finish();
    }

    /**
     * Takes {@code elf} over: it is closed here unless an opening is returned, whose {@link Opening#finish()} closes
     * it ({@code placed}: a module's image at its load addresses, {@link #placedFileFor}).
     */
    private Optional<Opening> open(ElfFile elf, Path image, boolean placed, BuildMonitor monitor,
                                   Predicate<CoveragePoints> worthBuilding, WithoutIndex withoutIndex,
                                   boolean saveConcurrently) throws IOException {
        Optional<Opening> opening = Optional.empty();
        try {
            opening = openOrBuild(elf, image, placed ? placedFileFor(elf, image) : fileFor(elf, image), monitor,
                    worthBuilding, withoutIndex, saveConcurrently);
            return opening;
        } finally {
            if (opening.isEmpty()) {
                elf.close();
            }
        }
    }

    private Optional<Opening> openOrBuild(ElfFile elf, Path image, Path file, BuildMonitor monitor,
                                          Predicate<CoveragePoints> worthBuilding, WithoutIndex withoutIndex,
                                          boolean saveConcurrently) throws IOException {
        Stamp stamp = Stamp.of(image);
        Status status = Status.BUILT;
        String detail = "";
        if (Files.exists(file)) {
            try {
                String staleness = staleness(file, elf, stamp);
                if (staleness == null) {
                    return Optional.of(new Opening(load(file), Status.REUSED, file, "", null, elf, null));
                }
                status = Status.REBUILT_STALE;
                detail = staleness;
            } catch (IndexFormatException e) {
                status = Status.REBUILT_CORRUPT;
                detail = e.getMessage();
            }
        }
        // What a build needs besides the points (the DWARF's unit index, the remote-section calls) is read
        // while the text is scanned: if no build follows, that work was on the other core.
        KernelIndexBuilder.Preparation prepared = builder.prepare(elf);
        monitor.progress("scanning coverage points", 0, 1);
        CoveragePoints points;
        try {
            points = CoveragePointScanner.scan(elf);
        } catch (RuntimeException e) {
            prepared.discard();
            throw e;
        }
        monitor.progress("scanning coverage points", 1, 1);
        if (!worthBuilding.test(points)) {
            withoutIndex.answer(prepared.symbolizer(elf));
            return Optional.empty();
        }
        KernelIndex index = builder.build(elf, points, prepared, monitor);
        FutureTask<String> save = new FutureTask<>(() -> {
            try {
                save(file, index, stamp);
                return "";
            } catch (IOException e) {
                return e.getMessage();
            }
        });
        if (saveConcurrently) {
            // Not a daemon: a JVM whose main method returns waits for it (System.exit does not: callers finish()).
            new Thread(save, "kernel-index-save").start();
        } else {
            save.run();
        }
        return Optional.of(new Opening(index, status, file, detail, save, elf, prepared.builtWith()));
    }

    /** Where the index of this image lives (whether or not it exists yet). */
    private Path fileFor(ElfFile elf, Path vmlinux) throws IOException {
        String buildId = elf.buildId();
        return directory.resolve((buildId != null ? buildId : "path-" + pathKey(vmlinux)) + ".kidx");
    }

    /** Where the index of a placed object lives: its build id (or path) and a digest of its placement. */
    private Path placedFileFor(ElfFile placed, Path module) throws IOException {
        StringBuilder layout = new StringBuilder();
        for (ElfSection s : placed.placedSections()) {
            layout.append(s.name()).append(' ').append(Long.toHexString(s.address())).append('\n');
        }
        String buildId = placed.buildId();
        String key = (buildId != null ? buildId : "path-" + pathKey(module)) + "-at-" + digest(layout.toString());
        return directory.resolve(key + ".kidx");
    }

    /** Null when the cached file fits the image, else why not. */
    private static String staleness(Path file, ElfFile elf, Stamp stamp) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (header.hasRemaining() && ch.read(header) >= 0) {
                // fill the header
            }
        }
        if (header.hasRemaining() || !header.flip().slice(0, MAGIC.length).equals(ByteBuffer.wrap(MAGIC))) {
            throw new IndexFormatException(file + ": not an index cache file (bad header)");
        }
        if (header.getInt(8) != CACHE_VERSION) {
            return "cache format " + header.getInt(8) + " instead of " + CACHE_VERSION;
        }
        if (header.getLong(16) != stamp.size || header.getLong(24) != stamp.mtimeMillis) {
            return "the vmlinux changed (size or modification time)";
        }
        int format = indexFormat(file);
        if (format != KernelIndexCodec.FORMAT_VERSION) {
            return "index format " + format + " instead of " + KernelIndexCodec.FORMAT_VERSION
                    + (format == KernelIndexCodec.VERSION_WITHOUT_COMPARISONS ? " (no comparison sites)" : "");
        }
        return null;
    }

    private static int indexFormat(Path file) throws IOException {
        ByteBuffer codecHeader = ByteBuffer.allocate(24);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (codecHeader.hasRemaining() && ch.read(codecHeader, HEADER + codecHeader.position()) >= 0) {
                // fill the codec's header
            }
        }
        return KernelIndexCodec.formatVersion(codecHeader.flip());
    }

    private static KernelIndex load(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() > Integer.MAX_VALUE) {
                throw new IndexFormatException(file + ": " + ch.size() + " bytes, more than an index can hold");
            }
            MappedByteBuffer mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            ByteBuffer codec = mapped.position(HEADER).slice();
            if (KernelIndexCodec.formatVersion(codec) != KernelIndexCodec.FORMAT_VERSION) {
                throw new IndexFormatException(file + ": index format " + KernelIndexCodec.formatVersion(codec)
                        + " instead of " + KernelIndexCodec.FORMAT_VERSION);
            }
            try {
                return KernelIndexCodec.read(codec);
            } catch (IndexFormatException e) {
                throw new IndexFormatException(file + ": " + e.getMessage());
            }
        }
    }

    private void save(Path file, KernelIndex index, Stamp stamp) throws IOException {
        Files.createDirectories(directory);
        // A build killed while saving leaves its whole index, tens of MB, behind; a live writer's is kept.
        ABANDONED_TEMPS.removeFrom(directory);
        // Hidden, and named neither *.kidx nor after the index alone: a half-written file never looks like one.
        Path temp = Files.createTempFile(directory, "." + file.getFileName() + ".pid-" + ProcessHandle.current().pid()
                + ".", TEMP_SUFFIX);
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
                header.put(MAGIC).putInt(CACHE_VERSION).putInt(0).putLong(stamp.size).putLong(stamp.mtimeMillis);
                header.flip();
                while (header.hasRemaining()) {
                    ch.write(header);
                }
                KernelIndexCodec.write(index, ch);
                ch.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static String pathKey(Path vmlinux) throws IOException {
        return digest(vmlinux.toRealPath().toString());
    }

    private static String digest(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The size and modification time that tie a cache file to one vmlinux file. */
    private record Stamp(long size, long mtimeMillis) {
        static Stamp of(Path vmlinux) throws IOException {
            if (!Files.exists(vmlinux)) {
                throw new NoSuchFileException(vmlinux.toString());
            }
            BasicFileAttributes a = Files.readAttributes(vmlinux, BasicFileAttributes.class);
            return new Stamp(a.size(), a.lastModifiedTime().toMillis());
        }
    }
}
