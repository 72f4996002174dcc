package dev.kcovexplorer.symbolizer.external;

import dev.kcovexplorer.symbolizer.Frame;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One long-lived {@code llvm-symbolizer} or {@code addr2line} process. A batch's addresses, followed by
 * a sentinel address that resolves to nothing, are written by a dedicated writer thread while the
 * calling thread reads the answers, so a large batch never deadlocks on full pipes; the sentinel's
 * answer marks the end of the batch. Not thread-safe: {@link SymbolizerPool} gives each thread its own.
 */
abstract class ExternalSymbolizerProcess implements AutoCloseable {
    private final String tool;
    private final Process process;
    private final Path stderr;
    private final BufferedWriter toTool;
    private final BufferedReader fromTool;
    private final ExecutorService writer;
    /** An address outside every section of the binary: its answer frames each batch. */
    protected final long sentinel;

    protected ExternalSymbolizerProcess(List<String> command, long sentinel) throws IOException {
        this.tool = command.get(0);
        this.sentinel = sentinel;
        this.stderr = Files.createTempFile("kcov-explorer-" + tool, ".stderr");
        try {
            this.process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        } catch (IOException e) {
            Files.deleteIfExists(stderr);
            throw new IOException(tool + " could not be started (is it installed?): " + e.getMessage(), e);
        }
        this.toTool = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII),
                1 << 16);
        this.fromTool = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8),
                1 << 16);
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, tool + "-writer");
            t.setDaemon(true);
            return t;
        });
    }

    List<List<Frame>> symbolize(long[] addresses) throws IOException {
        Future<?> written = writer.submit(() -> {
            try {
                for (long a : addresses) {
                    toTool.write("0x");
                    toTool.write(Long.toHexString(a));
                    toTool.write('\n');
                }
                toTool.write("0x" + Long.toHexString(sentinel) + "\n");
                toTool.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        List<List<Frame>> out = new ArrayList<>(addresses.length);
        try {
            readBatch(addresses, out);
            written.get();
        } catch (IOException | RuntimeException e) {
            written.cancel(true);
            throw failure(e.getMessage());
        } catch (java.util.concurrent.ExecutionException e) {
            throw failure(e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(tool + " was interrupted");
        }
        return out;
    }

    /** Reads one answer per address into {@code out}, then consumes the sentinel's answer. */
    protected abstract void readBatch(long[] addresses, List<List<Frame>> out) throws IOException;

    /** The next output line; the tool exiting early is an error naming its stderr. */
    protected String readLine() throws IOException {
        String line = fromTool.readLine();
        if (line == null) {
            throw failure("output ended early");
        }
        return line;
    }

    private IOException failure(String what) {
        String err = "";
        try {
            err = Files.readString(stderr).strip();
        } catch (IOException ignored) {
            // The stderr file is only context for the message.
        }
        return new IOException(tool + " failed: " + what + (err.isEmpty() ? "" : " (" + err.lines().findFirst().orElse("")
                + ")"));
    }

    /** The process's peak resident set in bytes (VmHWM), or -1 when it has exited. */
    long peakRssBytes() {
        return ProcStatus.peakRssBytes(process.pid());
    }

    @Override
    public void close() {
        writer.shutdownNow();
        try {
            toTool.close(); // EOF on stdin: both tools exit on their own
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            fromTool.close();
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            try {
                Files.deleteIfExists(stderr);
            } catch (IOException ignored) {
                // A leftover empty temp file is harmless.
            }
        }
    }

    /** Empty or "??" means the tool does not know. */
    protected static String known(String value) {
        return value == null || value.isEmpty() || value.equals("??") ? null : value;
    }
}
