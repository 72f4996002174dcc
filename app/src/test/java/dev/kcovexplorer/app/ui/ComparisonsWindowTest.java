package dev.kcovexplorer.app.ui;

import static dev.kcovexplorer.app.ui.ShownStages.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.live.LiveSessionRun;
import dev.kcovexplorer.app.live.LiveState;
import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.SessionRun;
import dev.kcovexplorer.app.model.fixture.ComparisonFixture;
import dev.kcovexplorer.app.model.fixture.ComparisonOracle;
import dev.kcovexplorer.app.model.fixture.ComparisonProgram;
import dev.kcovexplorer.app.model.source.DirectorySources;
import dev.kcovexplorer.app.ui.comparisons.ComparisonRow;
import dev.kcovexplorer.app.ui.comparisons.ComparisonsViewModel;
import dev.kcovexplorer.app.ui.editor.ComparisonMark;
import dev.kcovexplorer.app.ui.editor.EditorView;
import dev.kcovexplorer.kcov.DumpReader;
import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.kcov.agent.AgentServer;
import dev.kcovexplorer.kcov.agent.DumpReplaySource;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import dev.kcovexplorer.testing.Patience;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javafx.scene.Node;
import javafx.scene.control.TableRow;
import javafx.scene.control.Tooltip;
import javafx.scene.text.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The window on TRACE_CMP runs of a real gcc trace-cmp program under the kcov-like harness, beside its
 * PC run: the gutter's comparison glyphs and their hover, the Comparisons tool window (scope, filter,
 * double-click to the line), diff mode and a live collection in CMP mode, each against the raw records, objdump and llvm-symbolizer.
 */
class ComparisonsWindowTest {
    @TempDir
    static Path dir;
    static ComparisonProgram program;
    static ComparisonOracle oracle;
    static KernelIndex index;
    static long[][] records;
    static Path cmp;
    static Path pc;
    static Path fewer;

    @TempDir
    Path config;

    private final FxRobot robot = new FxRobot();
    private WindowHarness window;
    private Session session;
    private AgentServer server;

    @BeforeAll
    static void buildAndRun() throws Exception {
        ComparisonFixture fixture = ComparisonFixture.get();
        program = fixture.program;
        oracle = fixture.oracle;
        index = fixture.index;
        cmp = fixture.cmp;
        pc = fixture.pc;
        records = fixture.records;
        // A: the records of sizes() and constants() only, and of constants() only the first half: B (all of
        // them) gains the other sites and sees operand values at constants() that A did not.
        List<long[]> kept = new ArrayList<>();
        int constantsSeen = 0;
        int constantsTotal = (int) java.util.Arrays.stream(records).filter(r -> function(r).equals("constants")).count();
        for (long[] r : records) {
            if (function(r).equals("sizes") || function(r).equals("constants") && constantsSeen++ < constantsTotal / 2) {
                kept.add(r);
            }
        }
        fewer = writeArea(dir.resolve("fewer.bin"), kept);
    }

    @BeforeEach
    void openWindow() throws Exception {
        window = WindowHarness.open(config, 1400, 900);
        session = Session.create(index);
        session.addRun(RunInput.of("pc", DumpReader.read(pc), "local task"));
        session.addRun(RunInput.of("cmp", DumpReader.read(cmp), "local task"));
        window.show(session, new DirectorySources(program.directory(), Map.of()), "cmp fixture");
    }

    @AfterEach
    void closeWindow() throws Exception {
        WindowHarness.close(window, server);
    }

    @Test
    void theGutterMarksEveryLineWithComparisonSitesAndItsTooltipTellsTheOperands() throws Exception {
        onFx(() -> window.model.editors().open("cmp_fixture.c"));
        window.awaitIdle();
        EditorView editor = onFx(window.view::selectedEditorView);

        // Expected from the raw records: lines whose sites all kept every constant matched get ◆,
        // lines with a constant never equal ◈ (every site of the fixture is reached in this run).
        Map<Integer, String> expected = new TreeMap<>();
        Set<Integer> missedLines = missedConstants().keySet().stream().map(ComparisonsWindowTest::line)
                .collect(java.util.stream.Collectors.toSet());
        for (Map.Entry<Long, Object[]> site : oracle.lineOfSite.entrySet()) {
            if (site.getValue()[0].equals("cmp_fixture.c")) {
                int line = (Integer) site.getValue()[1];
                expected.put(line, missedLines.contains(line) ? "\u25C8" : "\u25C6");
            }
        }
        assertThat(expected).containsValue("\u25C8").containsValue("\u25C6");
        // Every line as the gutter draws it, and the lines on screen as they are drawn now.
        Map<Integer, String> painted = onFx(() -> {
            Map<Integer, String> glyphs = new TreeMap<>();
            for (int line = 1; line <= editor.model().content().lineCount(); line++) {
                String glyph = cmpGlyph(editor.area().getParagraphGraphicFactory().apply(line - 1));
                if (!glyph.isBlank()) {
                    glyphs.put(line, glyph);
                }
            }
            return glyphs;
        });
        assertThat(painted).isEqualTo(expected);
        Map<Integer, String> onScreen = onFx(() -> {
            Map<Integer, String> glyphs = new TreeMap<>();
            int first = editor.area().firstVisibleParToAllParIndex();
            for (int i = 0; i < editor.area().getVisibleParagraphs().size(); i++) {
                glyphs.put(first + i + 1, cmpGlyph(editor.area().getParagraphGraphic(first + i)));
            }
            return glyphs;
        });
        assertThat(onScreen).isNotEmpty().allSatisfy((line, glyph) ->
                assertThat(glyph).as("line %d on screen", line).isEqualTo(expected.getOrDefault(line, " ")));

        int constLine = program.lineOf("cmp_fixture.c", "const2: never equal");
        int guarded = program.lineOf("cmp_fixture.c", "guarded by const2");
        String tip = onFx(() -> {
            Node glyph = editor.area().getParagraphGraphicFactory().apply(constLine - 1).lookup(".gutter-cmp");
            return ((Tooltip) glyph.getProperties().get("javafx.scene.control.Tooltip")).getText();
        });
        long constSite = siteOnLine(constLine);
        long recordsThere = java.util.Arrays.stream(records).filter(r -> oracle.siteOfIp.get(r[3]) == constSite).count();
        assertThat(tip).startsWith(String.format("const 2-byte at 0x%x  constants, cmp_fixture.c:%d", constSite, constLine))
                .contains("\ncmp: " + recordsThere + " records, ")
                .contains("never equal to 0x0409 (1033) in this run")
                .contains("\u2192 line " + guarded + " after it uncovered in PC runs (pc)")
                .contains("0x0409 (1033) vs 0x0400 (1024)");
        assertThat(onFx(() -> editor.model().detailsAt(constLine))).as("the text hover says the same").endsWith(tip);
        assertThat(onFx(() -> editor.model().content().comparison(1))).as("a line without sites").isNull();
    }

    @Test
    void theComparisonsWindowListsFiltersAndGoesToTheLine() throws Exception {
        onFx(() -> {
            window.view.showComparisons();
            window.model.editors().open("cmp_fixture.c");
            return null;
        });
        window.awaitIdle();
        Map<Long, Long> perSite = new TreeMap<>();
        for (long[] r : records) {
            perSite.merge(oracle.siteOfIp.get(r[3]), 1L, Long::sum);
        }
        Map<Long, Long> inFile = new TreeMap<>(perSite);
        inFile.keySet().removeIf(site -> !oracle.lineOfSite.get(site)[0].equals("cmp_fixture.c"));
        assertThat(rowsBySite()).isEqualTo(inFile);

        onFx(() -> {
            window.model.comparisons().scopeProperty().set(ComparisonsViewModel.Scope.ALL_REACHED);
            return null;
        });
        window.awaitIdle();
        assertThat(rowsBySite()).isEqualTo(perSite);

        onFx(() -> {
            window.model.comparisons().missedOnlyProperty().set(true);
            return null;
        });
        window.awaitIdle();
        assertThat(rowsBySite().keySet()).isEqualTo(missedConstants().keySet());

        robot.clickOn(window.view.comparisonsView().filterField()).write("pick");
        window.awaitIdle();
        List<ComparisonRow> shown = onFx(() -> List.copyOf(window.view.comparisonsView().table().getItems()));
        // The cases never taken (300, 1000) are the switch's missed constants, and their lines never ran.
        int case300 = program.lineOf("cmp_fixture.c", "case 300:");
        int case1000 = program.lineOf("cmp_fixture.c", "case 1000:");
        assertThat(shown).singleElement().satisfies(row -> {
            assertThat(row.site().function()).isEqualTo("pick");
            assertThat(row.note()).isEqualTo("never equal to 0x000000000000012c, 0x00000000000003e8 \u00B7 lines "
                    + case300 + ", " + case1000 + " after it uncovered in PC runs (pc)");
        });

        // The row showing it, once the table has laid it out: the filtered rows reach the cells in a later pulse.
        WaitForAsyncUtils.waitFor(Patience.SECONDS, java.util.concurrent.TimeUnit.SECONDS,
                () -> onFx(() -> rowShowing(shown.get(0)) != null));
        DoubleClick.on(robot, onFx(() -> rowShowing(shown.get(0))));
        window.awaitIdle();
        int switchLine = program.lineOf("cmp_fixture.c", "/* switch */");
        assertThat(onFx(() -> window.model.editors().selected().caretLineProperty().get())).isEqualTo(switchLine);
    }

    @Test
    void diffModeListsSitesGainedAndValuesNewInB() throws Exception {
        onFx(() -> {
            window.model.runs().addDumps(List.of(fewer));
            return null;
        });
        window.awaitIdle();
        onFx(() -> {
            window.view.showComparisons();
            window.model.comparisons().scopeProperty().set(ComparisonsViewModel.Scope.ALL_REACHED);
            window.model.composition().showDiff("C", "cmp");
            return null;
        });
        window.awaitIdle();
        assertThat(onFx(() -> window.model.comparisons().diffProperty().get())).isTrue();

        Map<Long, Set<List<Long>>> pairsA = pairs(ComparisonProgram.records(fewer));
        Map<Long, Set<List<Long>>> pairsB = pairs(records);
        Map<Long, String> expected = new TreeMap<>();
        pairsB.forEach((site, pairs) -> {
            if (!pairsA.containsKey(site)) {
                expected.put(site, "gained");
            } else {
                Set<List<Long>> fresh = new HashSet<>(pairs);
                fresh.removeAll(pairsA.get(site));
                expected.put(site, fresh.isEmpty() ? "" : "+" + fresh.size() + " new value" + (fresh.size() == 1 ? "" : "s"));
            }
        });
        assertThat(expected).containsValue("gained").containsValue("");
        assertThat(expected.values()).anyMatch(v -> v.startsWith("+"));
        Map<Long, String> listed = onFx(() -> {
            Map<Long, String> out = new TreeMap<>();
            for (ComparisonRow row : window.model.comparisons().rows()) {
                out.put(row.site().address(), row.change());
            }
            return out;
        });
        assertThat(listed).isEqualTo(expected);

        onFx(() -> window.model.editors().open("cmp_fixture.c"));
        window.awaitIdle();
        EditorView editor = onFx(window.view::selectedEditorView);
        int pickLine = program.lineOf("cmp_fixture.c", "/* switch */");
        assertThat(onFx(() -> editor.model().content().comparison(pickLine).kind()))
                .isEqualTo(ComparisonMark.Kind.GAINED);
        assertThat(onFx(() -> editor.model().content().comparison(pickLine).tip())).contains("\ngained in B")
                .contains("\nA C: not reached").contains("\nB cmp: ");
    }

    private static String cmpGlyph(Node gutter) {
        return ((Text) gutter.lookup(".gutter-cmp")).getText();
    }

    @Test
    void aLiveCollectionInCmpModeShowsItsComparisonsAsTheyArrive() throws Exception {
        long[] words = new long[4 * records.length];
        for (int r = 0; r < records.length; r++) {
            System.arraycopy(records[r], 0, words, 4 * r, 4);
        }
        // 20 records per 100 ms drain: the run's 193 records arrive over about a second.
        server = AgentServer.start(new InetSocketAddress("127.0.0.1", 0), null,
                new DumpReplaySource("cmp-fixture", TraceMode.CMP, words, 20), line -> { });
        onFx(() -> {
            window.model.runs().runs().stream().filter(run -> run.label().equals("cmp"))
                    .forEach(run -> run.visibleProperty().set(false));
            window.model.editors().open("cmp_fixture.c");
            window.view.showLive();
            window.view.liveView().address().setText("127.0.0.1:" + server.address().getPort());
            LiveDemoWindow.button(window, "Connect").fire();
            return null;
        });
        LiveDemoWindow.await(() -> window.model.live().stateProperty().get() == LiveState.CONNECTED, "connected", 60);
        onFx(() -> {
            window.view.liveView().mode().setValue(TraceMode.CMP);
            window.view.liveView().usbBuses().setText("1");
            LiveDemoWindow.button(window, "Start").fire();
            return null;
        });
        LiveDemoWindow.until(() -> session.run(LiveSessionRun.LABEL).map(SessionRun::comparisons)
                .filter(c -> c.summary().totalRecords() == records.length).isPresent(),
                "the live run holds every record of the capture on comparison sites", 120);

        // The open editor's gutter and the Comparisons window follow the live run: records per site as recorded.
        int constLine = program.lineOf("cmp_fixture.c", "const2: never equal");
        long constSite = siteOnLine(constLine);
        long recordsThere = java.util.Arrays.stream(records).filter(r -> oracle.siteOfIp.get(r[3]) == constSite).count();
        LiveDemoWindow.await(() -> {
            ComparisonMark mark = window.model.editors().find("cmp_fixture.c").content().comparison(constLine);
            return mark != null && mark.tip().contains("\nlive: " + recordsThere + " records");
        }, "the const2 line's glyph tells the live records", 60);
        assertThat(onFx(() -> window.model.editors().find("cmp_fixture.c").content().comparison(constLine).kind()))
                .isEqualTo(ComparisonMark.Kind.MISSED_CONSTANT);
        onFx(() -> {
            window.view.showComparisons();
            return null;
        });
        window.awaitIdle();
        Map<Long, Long> perSite = new TreeMap<>();
        for (long[] r : records) {
            if (oracle.lineOfSite.get(oracle.siteOfIp.get(r[3]))[0].equals("cmp_fixture.c")) {
                perSite.merge(oracle.siteOfIp.get(r[3]), 1L, Long::sum);
            }
        }
        assertThat(rowsBySite()).isEqualTo(perSite);
        assertThat(onFx(() -> window.view.comparisonsView().table().getItems().stream().map(ComparisonRow::run)
                .distinct().toList())).containsExactly(LiveSessionRun.LABEL);
    }

    /** The (site → records) of the rows the window's table shows, waiting for them to be listed. */
    private Map<Long, Long> rowsBySite() throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        return onFx(() -> {
            Map<Long, Long> out = new TreeMap<>();
            for (ComparisonRow row : window.view.comparisonsView().table().getItems()) {
                out.put(row.site().address(), row.records());
            }
            return out;
        });
    }

    /** The table's row on screen that shows {@code item}, null while none does. */
    private TableRow<?> rowShowing(ComparisonRow item) {
        return window.view.comparisonsView().table().lookupAll(".table-row-cell").stream()
                .map(node -> (TableRow<?>) node)
                .filter(row -> row.isVisible() && item.equals(row.getItem()))
                .findFirst().orElse(null);
    }

    /** Const-site → constants the raw records never found equal to the variable operand. */
    private static Map<Long, Set<Long>> missedConstants() {
        return oracle.missedConstants(records);
    }

    /** Site → the distinct (arg1, arg2) pairs of its records. */
    private static Map<Long, Set<List<Long>>> pairs(long[][] rs) {
        Map<Long, Set<List<Long>>> out = new TreeMap<>();
        for (long[] r : rs) {
            out.computeIfAbsent(oracle.siteOfIp.get(r[3]), k -> new HashSet<>()).add(List.of(r[1], r[2]));
        }
        return out;
    }

    private static String function(long[] record) {
        return oracle.functionOfSite.get(oracle.siteOfIp.get(record[3]));
    }

    private static int line(long site) {
        return (Integer) oracle.lineOfSite.get(site)[1];
    }

    private static long siteOnLine(int line) {
        return oracle.lineOfSite.entrySet().stream()
                .filter(e -> e.getValue()[0].equals("cmp_fixture.c") && (Integer) e.getValue()[1] == line)
                .findFirst().orElseThrow().getKey();
    }

    private static Path writeArea(Path file, List<long[]> rs) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + 32 * rs.size()).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(rs.size());
        for (long[] r : rs) {
            for (long word : r) {
                b.putLong(word);
            }
        }
        return Files.write(file, b.array());
    }
}
