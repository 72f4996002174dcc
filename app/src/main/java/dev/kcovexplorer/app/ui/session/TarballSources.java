package dev.kcovexplorer.app.ui.session;

import dev.kcovexplorer.app.ui.task.Progress;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Sources read from a kernel source tarball ({@code .tar.xz}, {@code .tar.gz}/{@code .tgz} or {@code .tar})
 * without unpacking it by hand: one streaming pass picks out the files the session has coverage for into
 * the user cache (reused while the tarball is unchanged), and the editors read from there. The tarball's
 * top directory ({@code linux-source-6.1/}) is the source root. The JDK has no xz decoder, so {@code .xz}
 * goes through the machine's {@code xz}; Java feeds it, which gives real progress and a cancel.
 */
public final class TarballSources implements EditorSources {
    private static final int BLOCK = 512;

    private final Path tarball;
    private final Set<String> wanted;
    private final Path cacheRoot;
    private final Map<String, String> sha256ByPath;
    private volatile DirectorySources extracted;
    private volatile String failure = "The sources have not been read from the tarball yet.";

    public TarballSources(Path tarball, Collection<String> wanted, Path cacheRoot, Map<String, String> sha256ByPath) {
        this.tarball = tarball;
        this.wanted = Set.copyOf(wanted);
        this.cacheRoot = cacheRoot;
        this.sha256ByPath = Map.copyOf(sha256ByPath);
    }

    /** True for the file names this class reads. */
    public static boolean isTarball(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".tar.xz") || name.endsWith(".tar.gz") || name.endsWith(".tgz") || name.endsWith(".tar");
    }

    @Override
    public void prepare(Progress progress) throws IOException {
        long size = Files.size(tarball);
        String key = tarball.getFileName() + "-" + size + "-" + Files.getLastModifiedTime(tarball).toMillis();
        Path tree = cacheRoot.resolve("tarballs").resolve(key);
        if (!Files.isRegularFile(tree.resolve(".complete"))) {
            Path partial = Files.createDirectories(cacheRoot.resolve("tarballs")).resolve(key + ".partial");
            deleteTree(partial);
            Files.createDirectories(partial);
            try (CountingInput counted = new CountingInput(Files.newInputStream(tarball));
                 InputStream tar = decompress(counted)) {
                extract(tar, partial, () -> {
                    progress.checkCancelled();
                    progress.message("reading " + tarball.getFileName());
                    progress.progress(counted.count.get(), size);
                });
            } catch (IOException | RuntimeException e) {
                deleteTree(partial);
                failure = "Cannot read sources from " + tarball + ": " + e.getMessage();
                throw e;
            }
            Files.createFile(partial.resolve(".complete"));
            deleteTree(tree);
            Files.move(partial, tree, StandardCopyOption.ATOMIC_MOVE);
        }
        extracted = new DirectorySources(tree, sha256ByPath);
    }

    @Override
    public Optional<String> text(String path) throws IOException {
        DirectorySources tree = extracted;
        return tree == null ? Optional.empty() : tree.text(path);
    }

    @Override
    public String banner(String path) {
        DirectorySources tree = extracted;
        if (tree == null) {
            return failure;
        }
        String banner = tree.banner(path);
        return banner != null && banner.contains(" is not under ") ? path + " is not in " + tarball.getFileName() + "." : banner;
    }

    private InputStream decompress(InputStream raw) throws IOException {
        String name = tarball.getFileName().toString();
        if (name.endsWith(".gz") || name.endsWith(".tgz")) {
            return new GZIPInputStream(raw, 1 << 16);
        }
        if (name.endsWith(".xz")) {
            return XzProcess.decode(raw);
        }
        return new BufferedInputStream(raw, 1 << 16);
    }

    /** Walks the tar entries (ustar, GNU long names, pax paths) and writes the wanted regular files. */
    private void extract(InputStream tar, Path into, Runnable onBlock) throws IOException {
        byte[] header = new byte[BLOCK];
        String longName = null;
        String paxPath = null;
        while (readBlock(tar, header)) {
            onBlock.run();
            if (isZero(header)) {
                return;
            }
            long size = octal(header, 124, 12);
            char type = (char) header[156];
            String name = longName != null ? longName : paxPath != null ? paxPath : name(header);
            longName = null;
            paxPath = null;
            if (type == 'L' || type == 'x') {
                String text = new String(readBytes(tar, size), StandardCharsets.UTF_8);
                if (type == 'L') {
                    longName = text.replace("\0", "");
                } else {
                    paxPath = paxPath(text);
                }
                continue;
            }
            String relative = name.indexOf('/') >= 0 ? name.substring(name.indexOf('/') + 1) : name;
            if ((type == '0' || type == '\0') && wanted.contains(relative)) {
                Path file = into.resolve(relative).normalize();
                if (!file.startsWith(into)) {
                    throw new IOException("tar entry " + name + " points outside the tree");
                }
                Files.createDirectories(file.getParent());
                try (OutputStream out = Files.newOutputStream(file)) {
                    copy(tar, out, size);
                }
                skip(tar, padding(size));
            } else {
                skip(tar, size + padding(size));
            }
        }
    }

    private static String name(byte[] header) {
        String name = field(header, 0, 100);
        String magic = field(header, 257, 6);
        if (magic.startsWith("ustar")) {
            String prefix = field(header, 345, 155);
            if (!prefix.isEmpty()) {
                return prefix + "/" + name;
            }
        }
        return name;
    }

    private static String paxPath(String records) {
        for (String record : records.split("\n")) {
            int space = record.indexOf(' ');
            if (space > 0 && record.startsWith("path=", space + 1)) {
                return record.substring(space + 1 + "path=".length());
            }
        }
        return null;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] header, int offset, int length) throws IOException {
        long value = 0;
        for (int i = offset; i < offset + length; i++) {
            byte b = header[i];
            if (b == 0 || b == ' ') {
                continue;
            }
            if (b < '0' || b > '7') {
                throw new IOException("not a tar archive: bad size field in a header");
            }
            value = value * 8 + (b - '0');
        }
        return value;
    }

    private static long padding(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int n = in.readNBytes(block, 0, BLOCK);
        if (n == 0) {
            return false;
        }
        if (n < BLOCK) {
            throw new IOException("tar archive ends in the middle of a header");
        }
        return true;
    }

    private static byte[] readBytes(InputStream in, long size) throws IOException {
        if (size > 1 << 20) {
            throw new IOException("tar extended header of " + size + " bytes");
        }
        byte[] bytes = in.readNBytes((int) size);
        if (bytes.length < size) {
            throw new IOException("tar archive ends in the middle of an entry");
        }
        skip(in, padding(size));
        return bytes;
    }

    private static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("tar archive ends in the middle of an entry");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private static void skip(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("tar archive ends in the middle of an entry");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Counts compressed bytes read, for progress. */
    private static final class CountingInput extends FilterInputStream {
        final AtomicLong count = new AtomicLong();

        CountingInput(InputStream in) {
            super(new BufferedInputStream(in, 1 << 16));
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count.addAndGet(n);
            }
            return n;
        }
    }
}
