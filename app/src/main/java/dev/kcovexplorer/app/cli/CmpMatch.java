package dev.kcovexplorer.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kcovexplorer.app.model.AttributionFigures;
import dev.kcovexplorer.app.model.ComparisonCoverage;
import dev.kcovexplorer.app.model.cmp.ComparisonSummarizer;
import dev.kcovexplorer.app.model.cmp.UnresolvedRecords;
import dev.kcovexplorer.kcov.CoverageRun;
import dev.kcovexplorer.kcov.PcKind;
import dev.kcovexplorer.symbolizer.index.KernelIndex;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code match} on a TRACE_CMP dump: its ips (return addresses of the comparison hooks, by kcov's
 * {@code _RET_IP_}) on the image's comparison sites, and its records by where their ip landed.
 */
final class CmpMatch {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CmpMatch() {
    }

    static void print(Path dump, CoverageRun run, KernelIndex index, boolean json, PrintWriter out, PrintWriter err)
            throws IOException {
        // One pair per ip is enough here: only the records and the first record of each ip are used.
        ComparisonCoverage c = ComparisonCoverage.of(index.comparisonSites(), ComparisonSummarizer.summarize(run.cmp(), 1));
        AttributionFigures f = c.figures();
        long records = c.summary().totalRecords();
        long exact = 0;
        for (int s = 0; s < c.siteCount(); s++) {
            exact += c.records(s);
        }
        long unresolved = c.unresolvedRecords();
        if (json) {
            ObjectNode o = JSON.createObjectNode();
            o.put("file", dump.toString());
            o.put("mode", "cmp");
            o.put("pcKind", PcKind.RETURN_ADDRESS.id());
            o.put("uniquePcs", f.uniquePcs());
            o.put("matched", f.matched());
            o.put("attributedExact", f.attributedExact());
            o.put("attributedCandidates", f.attributedCandidates());
            o.put("unresolved", f.unresolved());
            o.put("records", records);
            o.put("recordsOnSites", exact);
            o.put("recordsOnCandidates", records - exact - unresolved);
            o.put("recordsUnresolved", unresolved);
            out.println(JSON.writeValueAsString(o));
        } else {
            out.printf(Locale.ROOT, "%s: TRACE_CMP, %,d records at %d unique ips (return addresses of comparison hooks);"
                    + " %.1f%% of the records on comparison sites%n", dump, records, f.uniquePcs(),
                    records == 0 ? 100.0 : 100.0 * (records - unresolved) / records);
            out.printf(Locale.ROOT, "  matched                   %9d%n", f.matched());
            out.printf(Locale.ROOT, "  attributed exactly        %9d  (return addresses of tail-called comparison hooks)%n",
                    f.attributedExact());
            out.printf(Locale.ROOT, "  attributed to candidates  %9d%n", f.attributedCandidates());
            out.printf(Locale.ROOT, "  unresolved                %9d  (%,d record%s)%n", f.unresolved(), unresolved,
                    unresolved == 1 ? "" : "s");
            for (UnresolvedRecords u : c.unresolved()) {
                out.printf(Locale.ROOT, "    %9d  %s (%,d record%s, first: record %d, ip 0x%x)%n", u.ips(), u.reason(),
                        u.records(), u.records() == 1 ? "" : "s", u.firstRecord(), u.firstIp());
            }
        }
        if (f.warning() != null) {
            err.println("kcov-explorer: warning: " + dump + ": " + f.warning());
        }
    }
}
