package dev.kcovexplorer.app.model.session;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Session files for tests of what commands do before they load a session. */
public final class SessionFiles {
    private SessionFiles() {
    }

    /**
     * A copy of {@code session} whose manifest is intact but whose kernel index is garbage: a command that
     * reads the index fails on it, so an error about anything else was found before the index was loaded.
     */
    public static Path withUnreadableIndex(Path session, Path copy) throws IOException {
        try (ZipFile in = new ZipFile(session.toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(copy))) {
            Enumeration<? extends ZipEntry> entries = in.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                out.putNextEntry(new ZipEntry(entry.getName()));
                if (entry.getName().equals(SessionFile.INDEX)) {
                    out.write("not a kernel index".getBytes(StandardCharsets.US_ASCII));
                } else {
                    try (InputStream data = in.getInputStream(entry)) {
                        data.transferTo(out);
                    }
                }
                out.closeEntry();
            }
        }
        return copy;
    }
}
