package dev.kcovexplorer.kcov;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.testing.Requirements;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over 300 generated broken dumps: every one is read exactly as an independent reading of its bytes
 * says (gzip data through the system's {@code gzip -dc}), or refused with a {@link DumpFormatException}
 * naming the file. Stack traces (any other exception), silent acceptances and misreads are counted
 * and must be zero; a read still running after a minute counts as a hang.
 *
 * <p>The suite uses bombs of a few MiB; the full-size variant (bombs up to 2 GiB decompressed, the peak
 * RSS figure for the issue) runs with
 * {@code mvn -pl kcov test -Dtest=DumpMutationTest -Dkcovexplorer.bombMiB=2048 -DargLine=-Xmx1g}.
 */
class DumpMutationTest {
    @TempDir
    Path dir;

    @Test
    void everyMutantIsReadExactlyOrRefusedWithAMessage() throws Exception {
        Requirements.tools("gzip");
        List<DumpMutants.Mutant> mutants = DumpMutants.generate(40, 1917, DumpMutants.bombScale());
        List<String> stackTraces = new ArrayList<>();
        List<String> silent = new ArrayList<>();
        List<String> hangs = new ArrayList<>();
        int refused = 0;
        int accepted = 0;
        int falseRefusals = 0;
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            for (DumpMutants.Mutant mutant : mutants) {
                Path file = dir.resolve(mutant.name() + (mutant.gzipped() ? ".bin.gz" : ".bin"));
                Files.write(file, mutant.bytes());
                DumpMutants.Plain plain = mutant.gzipped() ? gunzip(file)
                        : new DumpMutants.Plain(mutant.bytes(), mutant.bytes().length);
                DumpMutants.Expected expected = plain == null ? new DumpMutants.Expected(null, false)
                        : DumpMutants.expect(mutant.base(), plain);
                Future<CoverageRun> read = reader.submit(() -> DumpReader.read(file));
                try {
                    CoverageRun run = read.get(60, TimeUnit.SECONDS);
                    accepted++;
                    String wrong = mismatch(run, expected, mutant.base());
                    if (wrong != null) {
                        silent.add(mutant.name() + ": " + wrong);
                    }
                } catch (TimeoutException e) {
                    hangs.add(mutant.name());
                    read.cancel(true);
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof DumpFormatException && cause.getMessage().startsWith(file.toString())) {
                        refused++;
                        if (expected.valid()) {
                            falseRefusals++;
                            System.out.println("refused although valid: " + cause.getMessage());
                        }
                    } else {
                        stackTraces.add(mutant.name() + ": " + cause);
                    }
                }
                Files.delete(file);
            }
        } finally {
            reader.shutdownNow();
        }
        System.out.printf("dump mutants: %d (%d accepted, %d refused, %d refused although valid), stack traces %d,"
                        + " hangs %d, silent acceptances %d, peak RSS %d MiB%n", mutants.size(), accepted, refused,
                falseRefusals, stackTraces.size(), hangs.size(), silent.size(), Tools.peakRssKib() >> 10);
        assertThat(mutants).hasSizeGreaterThanOrEqualTo(300);
        assertThat(stackTraces).isEmpty();
        assertThat(hangs).isEmpty();
        assertThat(silent).isEmpty();
    }

    /** Why the reading differs from the independent one, or null when it matches. */
    private static String mismatch(CoverageRun run, DumpMutants.Expected expected, DumpMutants.Base base) {
        if (!expected.valid()) {
            return "accepted broken input as " + run.entries() + " entries, word size " + run.wordSize();
        }
        if (expected.entries().length == 0 && run.entries() == 0) {
            return null; // an empty area has no mode to tell
        }
        if (run.wordSize() != base.wordSize() || run.mode() != base.mode()) {
            return "read as " + run.wordSize() + "-byte " + run.mode();
        }
        long[] got = run.mode() == TraceMode.PC ? run.trace() : run.cmp().ips();
        if (!java.util.Arrays.equals(got, expected.entries())) {
            return "entries differ";
        }
        return run.overflowed() == expected.overflowed() ? null : "overflow " + run.overflowed();
    }

    /**
     * The system gzip's reading of a file (its first 256 MiB; the length of the rest is counted), or
     * null when gzip refuses it or warns (trailing garbage).
     */
    private static DumpMutants.Plain gunzip(Path file) throws IOException, InterruptedException {
        Process gzip = new ProcessBuilder("gzip", "-dc", file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] head;
        long length;
        try (InputStream in = gzip.getInputStream()) {
            head = in.readNBytes(256 << 20);
            length = head.length + in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return gzip.waitFor() == 0 ? new DumpMutants.Plain(head, length) : null;
    }
}
