package dev.kcovexplorer.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The benchmark command runs end to end on a small area (its figures are for people, not asserted). */
class BenchDumpsCommandTest {
    @Test
    void reportsTimeAndHeapForAGeneratedArea() {
        CliRunner.Result result = CliRunner.run("bench", "dumps", "--entries", "200000", "--unique", "5000",
                "--iterations", "2");
        assertThat(result.err()).isEmpty();
        assertThat(result.status()).isZero();
        assertThat(result.out()).containsPattern("200,000-entry TRACE_PC area, 8-byte words, [0-9,]+ unique PCs")
                .contains("parse+dedup: cold").contains("MB allocated per read");
    }
}
