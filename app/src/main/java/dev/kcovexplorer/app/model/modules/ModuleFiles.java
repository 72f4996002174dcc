package dev.kcovexplorer.app.model.modules;

import dev.kcovexplorer.app.model.source.Sha256;
import dev.kcovexplorer.kcov.AtomicFiles;
import io.airlift.compress.zstd.ZstdInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * A module file as an ELF file the symbolizer can map: an uncompressed {@code .ko} as it is, a
 * compressed one ({@code .ko.xz}, {@code .ko.zst}, {@code .ko.gz}, as distributions install them)
 * decompressed once into the cache, named after the compressed file's SHA-256 (the same module from
 * another directory or a rebuilt one at the same path are told apart by content, never by name). The
 * decompression lives here, not in the symbolizer, because xz comes from tukaani, an app dependency.
 */
public final class ModuleFiles {
    private static final byte[] ELF_MAGIC = {0x7f, 'E', 'L', 'F'};

    private final Path cacheDirectory;

    /** @param cacheDirectory where decompressed modules are kept ({@code ~/.cache/kcov-explorer/modules}) */
    public ModuleFiles(Path cacheDirectory) {
        this.cacheDirectory = cacheDirectory;
    }

    /** The ELF file of {@code moduleFile}: itself, or its decompressed copy in the cache. */
    public Path elf(Path moduleFile) throws IOException {
        String name = moduleFile.getFileName().toString();
        Compression compression = Compression.of(name);
        if (compression == null) {
            return moduleFile;
        }
        String key = Sha256.ofFile(moduleFile).substring(0, 24);
        String base = name.substring(0, name.length() - compression.suffix.length());
        Path target = cacheDirectory.resolve(base.substring(0, base.length() - ".ko".length()) + "-" + key + ".ko");
        if (Files.isRegularFile(target)) {
            return target;
        }
        Files.createDirectories(cacheDirectory);
        try {
            AtomicFiles.write(target, out -> {
                try (InputStream in = compression.open(new BufferedInputStream(Files.newInputStream(moduleFile)))) {
                    byte[] head = in.readNBytes(ELF_MAGIC.length);
                    if (!java.util.Arrays.equals(head, ELF_MAGIC)) {
                        throw new IOException(moduleFile + ": decompresses to something that is no ELF file");
                    }
                    out.write(head);
                    in.transferTo(out);
                }
            });
        } catch (IOException | RuntimeException e) { // aircompressor reports corrupt zstd data unchecked
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (message.startsWith(moduleFile.toString())) {
                throw new IOException(message, e);
            }
            throw new IOException(moduleFile + ": corrupt " + compression.label + " data (" + message + ")", e);
        }
        return target;
    }

    private enum Compression {
        XZ(".xz", "xz"),
        ZSTD(".zst", "zstd"),
        GZIP(".gz", "gzip");

        final String suffix;
        final String label;

        Compression(String suffix, String label) {
            this.suffix = suffix;
            this.label = label;
        }

        static Compression of(String fileName) {
            for (Compression c : values()) {
                if (fileName.endsWith(".ko" + c.suffix)) {
                    return c;
                }
            }
            return null;
        }

        InputStream open(InputStream raw) throws IOException {
            switch (this) {
                case XZ:
                    return new XZInputStream(raw);
                case ZSTD:
                    return new ZstdInputStream(raw);
                default:
                    return new GZIPInputStream(raw);
            }
        }
    }
}
