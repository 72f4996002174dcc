package dev.kcovexplorer.app.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.model.fixture.CampaignFixture;
import dev.kcovexplorer.app.model.session.SessionFile;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import dev.kcovexplorer.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Where a function's comparison sites are, by source line, as the hints after a comparison need them. */
class GuardedLinesTest {
    /** The demo session, read once for the tests that walk it (8 MB decoded: not once per test). */
    private static Session demoSession;

    private static final String[] STRINGS = {"/build/linux/drivers/pci/pci.h", "drivers/pci/pci.h",
        "pcie_downstream_port", "pci_bridge", "??", "/build/linux/drivers/pci/probe.c"};

    /**
     * Sites grouped by file and innermost function, each function's lines sorted and distinct, across files and
     * functions given in any order; a file the index names two ways (a header reached by two include paths) is one
     * path, whose function's lines are both names' (one name's lines used to be dropped at random); a file the index
     * could not name, and frames without a line, place no site.
     */
    @Test
    void aFunctionsSiteLinesAreEverySiteOfItsFileUnderEveryName() {
        // site:               0    1    2    3    4    5    6    7
        int[] file =     {5,   0,   1,   0,   5,   4,   0,   0};
        int[] function = {3,   2,   2,   2,   3,   2,   3,   2};
        int[] line =     {40, 136, 135, 136,  12,  7,  90,   0};
        long[] points = new long[file.length];
        int[] chainStart = new int[file.length + 1];
        for (int s = 0; s < file.length; s++) {
            points[s] = 0x1000 + 8L * s;
            chainStart[s + 1] = s + 1;
        }
        KernelIndex sites = new KernelIndex(null, "x86_64", "/build/linux", points, new byte[file.length], chainStart,
                function, file, line, STRINGS, new long[0], new int[] {0}, new int[0]);

        GuardedLines.SiteLines lines = GuardedLines.siteLines(sites, PathMapper.forCompDir("/build/linux"));

        assertThat(lines.of("drivers/pci/pci.h", "pcie_downstream_port")).containsExactly(135, 136);
        assertThat(lines.of("drivers/pci/pci.h", "pci_bridge")).containsExactly(90);
        assertThat(lines.of("drivers/pci/probe.c", "pci_bridge")).containsExactly(12, 40);
        assertThat(lines.of("??", "pcie_downstream_port")).isEmpty();
        assertThat(lines.of("drivers/pci/probe.c", "pcie_downstream_port")).isEmpty();
    }

    /**
     * On the demo session, for every comparison site of hub.c and of every 20th file with sites: the uncovered lines
     * after it are exactly those a walk over all the file's lines finds, from the line after the site's up to its
     * function's next site or the next function's first line.
     */
    @Test
    void theUncoveredLinesAfterASiteAreThoseAWalkOverTheFileFinds() throws Exception {
        Session demo = demo();
        List<SessionRun> pc = demo.runs().stream().filter(r -> r.comparisons() == null).toList();
        Coverage coverage = demo.coverage(pc);
        GuardedLines.SiteLines siteLines = demo.comparisonSiteLines();
        GuardedLines guarded = GuardedLines.of(coverage, siteLines);
        KernelIndex sites = demo.index().comparisonSites();
        PathMapper paths = demo.layout().paths();
        CoverageLayout layout = demo.layout();
        int checked = 0;
        int nonEmpty = 0;
        for (int s = 0; s < sites.pointCount(); s++) {
            int frame = sites.chainStart(s);
            if (frame >= sites.chainEnd(s) || sites.frameLine(frame) <= 0 || sites.frameFile(frame).equals("??")) {
                continue;
            }
            String path = paths.toRelative(sites.frameFile(frame));
            int fileId = layout.findFile(path);
            if (fileId < 0 || !path.equals("drivers/usb/core/hub.c") && fileId % 20 != 0) {
                continue;
            }
            String function = sites.string(sites.frameFunctionId(frame));
            int line = sites.frameLine(frame);
            int end = Integer.MAX_VALUE;
            for (int own : siteLines.of(path, function)) {
                if (own > line) {
                    end = Math.min(end, own);
                }
            }
            for (int f = layout.fileFunctionStart(fileId); f < layout.fileFunctionEnd(fileId); f++) {
                if (layout.functionFirstLine(f) > line) {
                    end = Math.min(end, layout.functionFirstLine(f));
                }
            }
            List<Integer> expected = new ArrayList<>();
            for (int l = layout.fileLineStart(fileId); l < layout.fileLineEnd(fileId); l++) {
                int number = layout.lineNumber(l);
                if (number > line && number < end && coverage.lineState(l) == LineState.UNCOVERED) {
                    expected.add(number);
                }
            }
            int[] actual = guarded.uncoveredAfter(path, function, line);
            assertThat(Arrays.stream(actual).boxed().toList()).as("%s:%d in %s", path, line, function)
                    .isEqualTo(expected);
            checked++;
            nonEmpty += actual.length > 0 ? 1 : 0;
        }
        assertThat(checked).isGreaterThan(500);
        assertThat(nonEmpty).as("sites with uncovered lines after them").isGreaterThan(20);
    }

    /**
     * On the demo session, grouped per file as the hover texts ask: every function of hub.c and of every 10th file with
     * sites has exactly the lines a plain map of every site's (file, function) gives, and no other function has any.
     */
    @Test
    void aFilesSiteLinesGroupedWhenAskedAreThoseOfAllTheSitesGroupedAtOnce() throws Exception {
        Session demo = demo();
        KernelIndex sites = demo.index().comparisonSites();
        PathMapper paths = demo.layout().paths();
        Map<String, Map<String, TreeSet<Integer>>> expected = new HashMap<>();
        for (int s = 0; s < sites.pointCount(); s++) {
            int frame = sites.chainStart(s);
            if (frame < sites.chainEnd(s) && sites.frameLine(frame) > 0 && !sites.frameFile(frame).equals("??")) {
                expected.computeIfAbsent(paths.toRelative(sites.frameFile(frame)), k -> new HashMap<>())
                        .computeIfAbsent(sites.string(sites.frameFunctionId(frame)), k -> new TreeSet<>())
                        .add(sites.frameLine(frame));
            }
        }
        GuardedLines.SiteLines lines = GuardedLines.siteLines(sites, paths);
        List<String> files = expected.keySet().stream().sorted().toList();
        int checked = 0;
        for (int f = 0; f < files.size(); f++) {
            String path = files.get(f);
            if (f % 10 != 0 && !path.equals("drivers/usb/core/hub.c")) {
                continue;
            }
            for (Map.Entry<String, TreeSet<Integer>> function : expected.get(path).entrySet()) {
                assertThat(Arrays.stream(lines.of(path, function.getKey())).boxed().toList())
                        .as("%s %s", path, function.getKey()).isEqualTo(List.copyOf(function.getValue()));
                checked++;
            }
            assertThat(lines.of(path, "no_such_function")).isEmpty();
        }
        assertThat(checked).isGreaterThan(500);
    }

    /** Other classes run next in this test JVM: left in a static field, the demo session stayed on its heap. */
    @AfterAll
    static void letGoOfTheDemo() {
        demoSession = null;
    }

    private static synchronized Session demo() throws Exception {
        if (demoSession == null) {
            Path file = CampaignFixture.DEMO;
            Requirements.require(Files.isRegularFile(file), "the demo session is not in this checkout");
            demoSession = SessionFile.read(file);
        }
        return demoSession;
    }
}
