package dev.kcovexplorer.app.ui.session;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Decodes xz through the machine's {@code xz -dc}: a daemon thread feeds it the compressed bytes (so the
 * caller's stream counts progress), the returned stream is its output. Closing it stops the process.
 */
final class XzProcess {
    private XzProcess() {
    }

    static InputStream decode(InputStream compressed) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder("xz", "-dc").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IOException("reading .tar.xz needs the xz program (Debian package xz-utils): " + e.getMessage(), e);
        }
        Thread feeder = new Thread(() -> {
            try (OutputStream in = process.getOutputStream()) {
                compressed.transferTo(in);
            } catch (IOException stopped) {
                // The reader closed the stream (cancelled or done early): nothing more to feed.
            }
        }, "xz-feeder");
        feeder.setDaemon(true);
        feeder.start();
        return new FilterInputStream(process.getInputStream()) {
            private boolean checked;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n < 0) {
                    checkExit();
                }
                return n;
            }

            @Override
            public int read() throws IOException {
                int c = super.read();
                if (c < 0) {
                    checkExit();
                }
                return c;
            }

            private void checkExit() throws IOException {
                if (checked) {
                    return;
                }
                checked = true;
                try {
                    if (process.waitFor() != 0) {
                        throw new IOException("xz could not decode the tarball (exit " + process.exitValue() + ")");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while decoding xz", e);
                }
            }

            @Override
            public void close() throws IOException {
                process.destroy();
                super.close();
            }
        };
    }
}
