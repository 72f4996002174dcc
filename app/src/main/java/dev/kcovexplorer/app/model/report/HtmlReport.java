package dev.kcovexplorer.app.model.report;

import dev.kcovexplorer.app.model.Aggregate;
import dev.kcovexplorer.app.model.Coverage;
import dev.kcovexplorer.app.model.CoverageLayout;
import dev.kcovexplorer.app.model.LineState;
import dev.kcovexplorer.app.model.Percent;

import java.io.IOException;
import java.io.Writer;
import java.util.Optional;

/**
 * One self-contained static HTML file that opens offline: a directory tree with covered/coverable
 * lines and percentages on every directory and file, and for every file with coverage its source
 * (when available) with each line's state, a marker glyph (not colour alone) and hit counts. No
 * script: a file link targets its section and CSS {@code :target} shows it.
 */
public final class HtmlReport {
    private static final String CSS = """
            :root{--cov:#cfe8ff;--part:#ffe7b3;--unc:#ffc9c9;--nex:#e6e6e6;--fg:#1b1b1b;--bg:#fff;--mut:#666}
            @media (prefers-color-scheme:dark){:root{--cov:#15406b;--part:#6b4e12;--unc:#6e1f1f;--nex:#3a3a3a;\
            --fg:#e8e8e8;--bg:#1e1e1e;--mut:#aaa}}
            body{margin:0;font:14px system-ui,sans-serif;color:var(--fg);background:var(--bg);display:flex}
            nav{width:32%;height:100vh;overflow:auto;border-right:1px solid var(--mut);padding:8px;box-sizing:border-box}
            main{flex:1;height:100vh;overflow:auto;padding:8px}
            ul{list-style:none;padding-left:14px;margin:0} summary{cursor:pointer}
            .pct{float:right;font-variant-numeric:tabular-nums;color:var(--mut)}
            section.file{display:none} section.file:target{display:block}
            table.src{border-collapse:collapse;font:12px ui-monospace,monospace;width:100%}
            table.src td{padding:0 6px;white-space:pre;vertical-align:top}
            td.ln,td.hits{text-align:right;color:var(--mut)} td.mark{width:1em}
            .covered{background:var(--cov)} .partial{background:var(--part)} .uncovered{background:var(--unc)}
            .notExecuted{background:var(--nex)} .excluded,.outsideRemote{background:var(--nex);color:var(--mut)}
            .legend span{display:inline-block;padding:0 6px;margin-right:4px}
            """;

    private HtmlReport() {
    }

    public static void write(Coverage coverage, SourceTexts sources, String title, Writer out) throws IOException {
        CoverageLayout layout = coverage.layout();
        Aggregate total = coverage.total();
        out.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
        out.write(escape(title));
        out.write("</title><style>" + CSS + "</style></head><body>\n<nav id=\"tree\"><h1>" + escape(title) + "</h1>");
        out.write("<p id=\"summary\">" + total.coveredLines() + " of " + total.lines() + " coverable lines ("
                + Percent.format(total.coveredLines(), total.lines()) + "), " + total.coveredPoints() + " of "
                + total.points() + " points (" + Percent.format(total.coveredPoints(), total.points()) + ")</p>");
        out.write("<p class=\"legend\">");
        for (LineState state : LineState.values()) {
            out.write("<span class=\"" + state.jsonName() + "\">" + mark(state) + " " + state.label() + "</span>");
        }
        out.write("</p>\n<ul>");
        writeDirectory(coverage, CoverageLayout.ROOT, out);
        out.write("</ul></nav>\n<main>\n<p>Select a file in the tree.</p>\n");
        for (int file = 0; file < layout.fileCount(); file++) {
            if (hasEvidence(coverage, file)) {
                writeFile(coverage, file, sources.text(layout.filePath(file)), out);
            }
        }
        out.write("</main></body></html>\n");
        out.flush();
    }

    private static void writeDirectory(Coverage coverage, int directory, Writer out) throws IOException {
        CoverageLayout layout = coverage.layout();
        for (int child : layout.childDirectories(directory)) {
            Aggregate a = coverage.directory(child);
            out.write("<li class=\"dir\" data-path=\"" + escape(layout.directoryPath(child)) + "\"><details"
                    + (a.coveredLines() > 0 ? " open" : "") + "><summary><span class=\"name\">"
                    + escape(layout.directoryName(child)) + "/</span>" + figures(a) + "</summary><ul>");
            writeDirectory(coverage, child, out);
            out.write("</ul></details></li>\n");
        }
        for (int file : layout.filesOfDirectory(directory)) {
            Aggregate a = coverage.file(file);
            String path = layout.filePath(file);
            String name = escape(path.substring(path.lastIndexOf('/') + 1));
            out.write("<li class=\"file\" data-path=\"" + escape(path) + "\">");
            out.write(hasEvidence(coverage, file) ? "<a href=\"#f" + file + "\">" + name + "</a>" : name);
            out.write(figures(a) + "</li>\n");
        }
    }

    private static String figures(Aggregate a) {
        return "<span class=\"pct\" title=\"" + a.coveredPoints() + "/" + a.points() + " points\">" + a.coveredLines()
                + "/" + a.lines() + " " + Percent.format(a.coveredLines(), a.lines()) + "</span>";
    }

    private static boolean hasEvidence(Coverage coverage, int file) {
        CoverageLayout layout = coverage.layout();
        for (int line = layout.fileLineStart(file); line < layout.fileLineEnd(file); line++) {
            LineState state = coverage.lineState(line);
            if (state == LineState.COVERED || state == LineState.PARTIAL) {
                return true;
            }
        }
        return false;
    }

    private static void writeFile(Coverage coverage, int file, Optional<String> source, Writer out)
            throws IOException {
        CoverageLayout layout = coverage.layout();
        String path = layout.filePath(file);
        out.write("<section class=\"file\" id=\"f" + file + "\" data-path=\"" + escape(path) + "\"><h2>"
                + escape(path) + "</h2>");
        if (source.isEmpty()) {
            out.write("<p class=\"nosource\">Source not available: coverable lines only.</p>");
        }
        out.write("<table class=\"src\">\n");
        if (source.isPresent()) {
            String[] lines = source.get().split("\n", -1);
            int count = lines.length > 0 && lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
            for (int number = 1; number <= count; number++) {
                int line = layout.findLine(file, number);
                writeRow(coverage, line, number, lines[number - 1], out);
            }
        } else {
            for (int line = layout.fileLineStart(file); line < layout.fileLineEnd(file); line++) {
                writeRow(coverage, line, layout.lineNumber(line), "", out);
            }
        }
        out.write("</table></section>\n");
    }

    private static void writeRow(Coverage coverage, int line, int number, String text, Writer out) throws IOException {
        LineState state = line < 0 ? LineState.NOT_INSTRUMENTED : coverage.lineState(line);
        String hits = line < 0 || coverage.lineHits(line) == 0 ? "" : Long.toString(coverage.lineHits(line));
        String runs = line < 0 ? "" : " title=\"hit by " + coverage.lineRuns(line) + " run(s)\"";
        out.write("<tr class=\"" + state.jsonName() + "\" data-line=\"" + number + "\"" + runs + "><td class=\"ln\">"
                + number + "</td><td class=\"mark\">" + mark(state) + "</td><td class=\"hits\">" + hits
                + "</td><td class=\"code\">" + escape(text.replace("\t", "        ")) + "</td></tr>\n");
    }

    private static String mark(LineState state) {
        return switch (state) {
            case COVERED -> "\u2713";
            case PARTIAL -> "\u25D0";
            case UNCOVERED -> "\u2717";
            case NOT_EXECUTED -> "\u2013";
            case NOT_INSTRUMENTED -> "";
            case EXCLUDED -> "\u2205";
            case OUTSIDE_REMOTE -> "\u2298";
        };
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
