package dev.kcovexplorer.app.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.kcovexplorer.app.model.ComparisonSite;
import dev.kcovexplorer.app.model.cmp.ComparisonConstant;
import dev.kcovexplorer.app.model.cmp.ComparisonPair;
import dev.kcovexplorer.app.model.cmp.OperandText;
import dev.kcovexplorer.symbolizer.points.ComparisonType;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/**
 * {@code cmp --format json}: one object per site and line, {@code {"site":"0x…","function":…,"file":…,
 * "line":N,"kind":"cmp|const|switch","size":N,"records":N,"distinct":N,"values":[{"arg1":"0x…",
 * "arg2":"0x…","count":N},…],"more":N,…,"run":LABEL}}; const and switch sites add their
 * {@code "constants"} with the records equal to each, and {@code "missed"}, the constants never equal.
 */
final class CmpJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private CmpJson() {
    }

    static void write(String run, List<ComparisonSite> sites, int top, PrintWriter out) throws IOException {
        for (ComparisonSite site : sites) {
            try (JsonGenerator json = FACTORY.createGenerator(out)) {
                json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                write(json, site, top);
                json.writeStringField("run", run);
                json.writeEndObject();
            }
            out.write('\n');
        }
    }

    /** The site's fields in an object left open (the caller may add its own). */
    static void write(JsonGenerator json, ComparisonSite site, int top) throws IOException {
        json.writeStartObject();
        json.writeStringField("site", "0x" + Long.toHexString(site.address()));
        json.writeStringField("function", site.function());
        json.writeStringField("file", site.file());
        json.writeNumberField("line", site.line());
        json.writeStringField("kind", site.kind().id());
        json.writeNumberField("size", site.size());
        json.writeNumberField("records", site.records());
        if (site.values()) {
            json.writeNumberField("distinct", site.distinct());
            if (!site.distinctExact()) {
                json.writeBooleanField("distinctExact", false);
            }
        }
        json.writeArrayFieldStart("values");
        List<ComparisonPair> pairs = site.pairs();
        int listed = Math.min(top, pairs.size());
        for (ComparisonPair p : pairs.subList(0, listed)) {
            json.writeStartObject();
            json.writeStringField("arg1", OperandText.hex(p.arg1(), site.size()));
            json.writeStringField("arg2", OperandText.hex(p.arg2(), site.size()));
            json.writeNumberField("count", p.count());
            json.writeEndObject();
        }
        json.writeEndArray();
        if (site.values()) {
            json.writeNumberField("more", site.morePairs() + pairs.size() - listed);
        }
        if (site.kind() != ComparisonType.Kind.CMP && site.values()) {
            json.writeArrayFieldStart("constants");
            for (ComparisonConstant c : site.constants()) {
                json.writeStartObject();
                json.writeStringField("value", OperandText.hex(c.value(), site.size()));
                json.writeNumberField("equal", c.equalRecords());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("missed");
            for (ComparisonConstant c : site.missedConstants()) {
                json.writeString(OperandText.hex(c.value(), site.size()));
            }
            json.writeEndArray();
        }
    }
}
