package dev.kcovexplorer.app.model;

import dev.kcovexplorer.app.model.fixture.CampaignFixture;
import dev.kcovexplorer.app.model.session.SessionFile;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import dev.kcovexplorer.testing.Requirements;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One file's lines found alone are the layout's lines of that file, point for point: on the demo session's PC layout
 * and on its comparison sites' layout (what the editor's comparison marks used to take their lines from).
 */
class FileLinesTest {
    private static Session demo;

    @BeforeAll
    static void readTheDemo() throws Exception {
        Path file = CampaignFixture.DEMO;
        Requirements.require(Files.isRegularFile(file), "the demo session is not in this checkout");
        demo = SessionFile.read(file);
    }

    /** Other classes run next in this test JVM: left in a static field, the demo session stayed on its heap. */
    @AfterAll
    static void letGoOfTheDemo() {
        demo = null;
    }

    @Test
    void theComparisonSitesOfAFileAreThoseOfTheComparisonLayout() {
        CoverageLayout layout = demo.comparisonLayout();
        assertThat(checkFiles(demo.index().comparisonSites(), layout)).isGreaterThan(50);
    }

    @Test
    void thePointsOfAFileAreThoseOfTheLayout() {
        assertThat(checkFiles(demo.index(), demo.layout())).isGreaterThan(50);
    }

    @Test
    void aFileWithoutPointsHasNoLines() {
        PathMapper paths = demo.layout().paths();
        assertThat(FileLines.of(demo.index().comparisonSites(), paths, "drivers/usb/core/no-such-file.c").lineCount())
                .isZero();
        assertThat(FileLines.of(demo.index(), paths, "").lineCount()).isZero();
    }

    /** Every 40th file of the layout, and hub.c (the start view's): each line's number and points. */
    private static int checkFiles(KernelIndex index, CoverageLayout layout) {
        int checked = 0;
        for (int file = 0; file < layout.fileCount(); file++) {
            String path = layout.filePath(file);
            if (file % 40 != 0 && !path.equals("drivers/usb/core/hub.c")) {
                continue;
            }
            FileLines lines = FileLines.of(index, layout.paths(), path);
            int start = layout.fileLineStart(file);
            int[] expectedNumbers = new int[layout.fileLineEnd(file) - start];
            int[] actualNumbers = new int[lines.lineCount()];
            for (int i = 0; i < expectedNumbers.length; i++) {
                expectedNumbers[i] = layout.lineNumber(start + i);
            }
            for (int i = 0; i < actualNumbers.length; i++) {
                actualNumbers[i] = lines.lineNumber(i);
            }
            assertThat(actualNumbers).as("the lines of %s", path).isEqualTo(expectedNumbers);
            for (int i = 0; i < expectedNumbers.length; i++) {
                assertThat(lines.pointsOfLine(i)).as("%s:%d", path, expectedNumbers[i])
                        .isEqualTo(layout.pointsOfLine(start + i));
            }
            checked++;
        }
        return checked;
    }
}
