package dev.kcovexplorer.app.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.symbolizer.index.KernelIndex;
import org.junit.jupiter.api.Test;

/** Where a function's comparison sites are, by source line, as the hints after a comparison need them. */
class GuardedLinesTest {
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
}
