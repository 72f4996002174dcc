package dev.kcovexplorer.app.model.report;

import dev.kcovexplorer.app.model.Coverage;
import dev.kcovexplorer.app.model.CoverageLayout;
import dev.kcovexplorer.app.model.LineState;
import dev.kcovexplorer.app.model.Percent;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.fixture.FixtureSession;
import dev.kcovexplorer.app.model.fixture.InstrumentedProgram;
import dev.kcovexplorer.app.model.fixture.Tools;
import dev.kcovexplorer.testing.Requirements;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Our LCOV goes through the real genhtml without a warning; our HTML renders in headless Chromium as the model says. */
class ReportRenderingTest {
    private static final Pattern ROW = Pattern.compile("<tr class=\"(\\w+)\" data-line=\"(\\d+)\"[^>]*><td class=\"ln\">"
            + "\\d+</td><td class=\"mark\">[^<]*</td><td class=\"hits\">(\\d*)</td>");
    private static final Pattern SECTION = Pattern.compile("<section class=\"file\" id=\"f\\d+\" data-path=\"([^\"]+)\">");

    static FixtureSession fixture;
    static Session session;
    static Coverage coverage;

    @TempDir
    Path dir;

    @BeforeAll
    static void fixture() throws Exception {
        InstrumentedProgram.requireTools();
        fixture = FixtureSession.get();
        session = fixture.newSession();
        coverage = session.coverage(session.runs());
    }

    @Test
    void genhtmlRendersOurLcovWithoutWarningsAndAgreesOnTheTotals() throws Exception {
        Requirements.tools("genhtml");
        Path tracefile = dir.resolve("coverage.info");
        try (Writer out = Files.newBufferedWriter(tracefile)) {
            LcovReport.write(coverage, fixture.compDir(), "A | B", out);
        }
        Tools.Result result = Tools.run(dir, null, List.of("genhtml", "--function-coverage", "-o",
                dir.resolve("html").toString(), tracefile.toString()));
        String output = result.stdout() + result.stderr();
        assertThat(result.exitCode()).as(output).isZero();
        assertThat(output).doesNotContainIgnoringCase("warning").doesNotContainIgnoringCase("error");
        CoverageLayout layout = coverage.layout();
        int lines = 0;
        int linesHit = 0;
        int functions = 0;
        int functionsHit = 0;
        for (int line = 0; line < layout.lineCount(); line++) {
            lines++;
            linesHit += coverage.lineHits(line) > 0 ? 1 : 0;
        }
        for (int f = 0; f < layout.functionCount(); f++) {
            functions++;
            functionsHit += coverage.functionHits(f) > 0 ? 1 : 0;
        }
        assertThat(output).contains("(" + linesHit + " of " + lines + " lines)")
                .contains("(" + functionsHit + " of " + functions + " functions)");
        assertThat(dir.resolve("html").resolve("index.html")).exists();
    }

    @Test
    void chromiumRendersEveryLineInTheModelsStateWithItsHits() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        Requirements.require(Files.isExecutable(chromium), "needs Debian's chromium for the headless rendering check (apt-get install chromium)");
        Path html = dir.resolve("report.html");
        try (Writer out = Files.newBufferedWriter(html)) {
            HtmlReport.write(coverage, SourceTexts.directory(fixture.compDir()), "kcov coverage: A | B", out);
        }
        Tools.Result result = Tools.run(dir, null, List.of(chromium.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--dump-dom", html.toUri().toString()));
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        String dom = result.stdout();
        CoverageLayout layout = coverage.layout();

        Matcher sections = SECTION.matcher(dom);
        Map<String, Integer> sectionStart = new HashMap<>();
        while (sections.find()) {
            sectionStart.put(sections.group(1), sections.end());
        }
        assertThat(sectionStart.keySet()).containsExactlyInAnyOrder("fixture.c", "fixture.h");
        int checkedCoverable = 0;
        for (Map.Entry<String, Integer> section : sectionStart.entrySet()) {
            int file = layout.findFile(section.getKey());
            int end = dom.indexOf("</section>", section.getValue());
            Matcher row = ROW.matcher(dom.substring(section.getValue(), end));
            int expectedNumber = 1;
            String source = Files.readString(fixture.compDir().resolve(section.getKey()), StandardCharsets.UTF_8);
            while (row.find()) {
                int number = Integer.parseInt(row.group(2));
                assertThat(number).isEqualTo(expectedNumber++);
                LineState state = coverage.lineState(file, number);
                assertThat(row.group(1)).as(section.getKey() + ":" + number).isEqualTo(state.jsonName());
                int line = layout.findLine(file, number);
                if (line >= 0) {
                    checkedCoverable++;
                    String hits = coverage.lineHits(line) == 0 ? "" : Long.toString(coverage.lineHits(line));
                    assertThat(row.group(3)).as(section.getKey() + ":" + number + " hits").isEqualTo(hits);
                }
            }
            assertThat(expectedNumber - 1).as("every source line is a row").isEqualTo(source.lines().count());
        }
        assertThat(checkedCoverable).isEqualTo(layout.lineCount());
        for (int file = 0; file < layout.fileCount(); file++) {
            var a = coverage.file(file);
            assertThat(dom).contains("data-path=\"" + layout.filePath(file) + "\"><a href=\"#f" + file + "\">")
                    .contains(a.coveredLines() + "/" + a.lines() + " " + Percent.format(a.coveredLines(), a.lines()));
        }
    }
}
