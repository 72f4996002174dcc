package dev.kcovexplorer.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The benchmark runs end to end on a small generated area whose ips all return from comparison hook calls. */
class BenchCmpCommandTest {
    @Test
    void everyGeneratedRecordLandsOnASiteAndEachStepIsTimed() {
        CliRunner.Result result = CliRunner.run("bench", "cmp", "--records", "20000", "--ips", "50", "--iterations", "2");
        assertThat(result.err()).isEmpty();
        assertThat(result.status()).isZero();
        assertThat(result.out()).containsPattern("20,000 records, [0-9]+ comparison sites reached, 0.00% of the"
                + " records on no site").containsPattern("summarize: cold +[0-9,]+ ms, warm median +[0-9,]+ ms =")
                .contains("all three:");
    }
}
