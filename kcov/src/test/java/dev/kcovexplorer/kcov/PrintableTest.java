package dev.kcovexplorer.kcov;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTest {

    @Test
    void controlCharactersAndDirectionOverridesBecomeEscapes() {
        assertThat(Printable.of("\u001b[2Jcleared")).isEqualTo("\\e[2Jcleared");
        assertThat(Printable.of("\u001b]0;title\u0007")).isEqualTo("\\e]0;title\\u0007");
        assertThat(Printable.of("run\nforged: line")).isEqualTo("run\\nforged: line");
        assertThat(Printable.of("a\rb\tc\u007f\u009b")).isEqualTo("a\\rb\\tc\\u007f\\u009b");
        assertThat(Printable.of("abc\u202edcba")).isEqualTo("abc\\u202edcba");
        assertThat(Printable.of("line\u2028sep")).isEqualTo("line\\u2028sep");
    }

    @Test
    void printableTextStaysAsItIs() {
        String text = "USB bus 1 · hub.c — ünïcödé 日本 🙂";
        assertThat(Printable.of(text)).isSameAs(text);
        assertThat(Printable.of(null)).isNull();
    }
}
