package dev.kcovexplorer.app.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import dev.kcovexplorer.symbolizer.Frame;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** JSON lines from the index must be the very text Jackson's generator writes for the same frames. */
class JsonLinesTest {

    @Test
    void sameTextAsJacksonIncludingEscapes() throws Exception {
        String[] strings = {"plain", "quote\"back\\slash", "tab\tnew\nline\u0001ctl", "ünï/cödé ✓", "/src/a.c"};
        KernelIndex index = new KernelIndex("id", "x86_64", "/src", new long[] {0x10, 0x20, 0x30},
                new byte[] {0, 0, 1}, new int[] {0, 2, 2, 3}, new int[] {0, 1, 3}, new int[] {4, 2, 4},
                new int[] {12, 100000, 99999}, new int[] {1234567, 0, 10}, new int[] {KernelIndex.NO_LINKAGE, 3, 1}, strings,
                new long[0], new int[] {0}, new int[0]);
        long[] addresses = {0x10, 0x20, 0x30, 0x10};
        int[] points = {0, 1, 2, 0};

        StringWriter fast = new StringWriter();
        JsonLines lines = new JsonLines(new PrintWriter(fast));
        for (int i = 0; i < addresses.length; i++) {
            lines.write(addresses[i], index, points[i]);
        }
        lines.flush();

        StringWriter jackson = new StringWriter();
        JsonGenerator json = new JsonFactory().createGenerator(jackson);
        json.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
        for (int i = 0; i < addresses.length; i++) {
            json.writeStartObject();
            json.writeStringField("address", "0x" + Long.toHexString(addresses[i]));
            json.writeArrayFieldStart("frames");
            for (Frame f : index.frames(points[i])) {
                json.writeStartObject();
                json.writeStringField("function", f.function());
                json.writeStringField("linkage", f.linkage());
                json.writeStringField("file", f.file());
                json.writeNumberField("line", f.line());
                json.writeNumberField("column", f.column());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        json.flush();

        assertThat(fast.toString()).isEqualTo(jackson + "\n").contains("\\\"back\\\\slash", "\\t", "\\u0001", "✓");

        // Standard output takes the same text as UTF-8 bytes, after what went through its writer.
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        StandardOutput standard = new StandardOutput(stdout);
        standard.print("before ");
        JsonLines direct = new JsonLines(standard);
        for (int i = 0; i < addresses.length; i++) {
            direct.write(addresses[i], index, points[i]);
        }
        direct.flush();
        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo("before " + fast);
    }
}
