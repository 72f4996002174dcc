package dev.kcovexplorer.app.model.cmp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Operands as the hover and the CLI print them: hex at the operand's width, decimal, printable bytes. */
class OperandTextTest {
    @Test
    void hexIsPaddedToTheOperandSize() {
        assertThat(OperandText.hex(0x409, 2)).isEqualTo("0x0409");
        assertThat(OperandText.hex(0x4b, 1)).isEqualTo("0x4b");
        assertThat(OperandText.hex(0x12c, 8)).isEqualTo("0x000000000000012c");
        assertThat(OperandText.hex(-1L, 8)).isEqualTo("0xffffffffffffffff");
        assertThat(OperandText.hex(0x12c, 0)).as("a switch of unknown size").isEqualTo("0x12c");
    }

    @Test
    void decimalAddsTheSignedReadingWhenTheSignBitIsSet() {
        assertThat(OperandText.decimal(1033, 2)).isEqualTo("1033");
        assertThat(OperandText.decimal(0xfffffff7L, 4)).isEqualTo("4294967287 = -9");
        assertThat(OperandText.decimal(0xff, 1)).isEqualTo("255 = -1");
        assertThat(OperandText.decimal(-2L, 8)).isEqualTo("18446744073709551614 = -2");
    }

    @Test
    void charactersOnlyWhenEveryByteIsPrintableInMemoryOrder() {
        assertThat(OperandText.characters('K', 1)).isEqualTo("'K'");
        assertThat(OperandText.characters(0x46464952L, 4)).as("little-endian 'RIFF'").isEqualTo("'RIFF'");
        assertThat(OperandText.characters(0x0409, 2)).isNull();
        assertThat(OperandText.characters(0x14b, 1)).as("wider than the operand").isNull();
        assertThat(OperandText.describe(0x4b, 1)).isEqualTo("0x4b (75) 'K'");
    }
}
