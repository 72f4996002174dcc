package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.kcov.Printable;
import dev.kcovexplorer.app.model.ComparisonSite;
import dev.kcovexplorer.app.model.cmp.ComparisonConstant;
import dev.kcovexplorer.app.model.cmp.ComparisonPair;
import dev.kcovexplorer.app.model.cmp.OperandText;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * {@code cmp}'s text: one site per line, {@code ADDRESS FILE:LINE FUNCTION KIND SIZE}, its records and
 * distinct pairs, the constants never equalled, then the pairs as {@code arg1/arg2 ×count}.
 */
final class CmpText {
    private CmpText() {
    }

    static void write(List<ComparisonSite> sites, int top, boolean values, PrintWriter out) {
        StringBuilder line = new StringBuilder(256);
        for (ComparisonSite site : sites) {
            line.setLength(0);
            line.append(String.format(Locale.ROOT, "0x%x  %s  %s  %s %s  %,d records", site.address(),
                    Printable.of(site.location()), site.function() == null ? "??" : Printable.of(site.function()),
                    site.kind().id(),
                    site.size() == 0 ? "?" : site.size(), site.records()));
            if (!values) {
                line.append("  (operand values not kept)");
                out.println(line);
                continue;
            }
            line.append(String.format(Locale.ROOT, "  %s%,d distinct", site.distinctExact() ? "" : "≤", site.distinct()));
            List<ComparisonConstant> missed = site.missedConstants();
            if (!missed.isEmpty()) {
                line.append("  never equal to ");
                for (int i = 0; i < missed.size(); i++) {
                    line.append(i == 0 ? "" : ", ").append(OperandText.hex(missed.get(i).value(), site.size()));
                }
            }
            List<ComparisonPair> pairs = site.pairs();
            int listed = Math.min(top, pairs.size());
            line.append("  values ");
            for (int i = 0; i < listed; i++) {
                ComparisonPair p = pairs.get(i);
                line.append(i == 0 ? "" : ", ").append(OperandText.hex(p.arg1(), site.size())).append('/')
                        .append(OperandText.hex(p.arg2(), site.size())).append(" ×").append(p.count());
            }
            int more = site.morePairs() + pairs.size() - listed;
            if (more > 0) {
                line.append(String.format(Locale.ROOT, " and %,d more", more));
            }
            out.println(line);
        }
    }
}
