package dev.kcovexplorer.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** A missing tool skips a test on a developer's machine and fails it in CI, where a skip would hide it. */
class RequirementsTest {
    private static final String WHY = "frobnicate is not installed (apt-get install frobnicate)";

    @Test
    void missingOutsideCiSkipsSayingWhatToInstall() {
        TestAbortedException skipped = assertThrows(TestAbortedException.class, () -> Requirements.require(false, WHY, false));
        assertTrue(skipped.getMessage().contains("apt-get install frobnicate"), skipped.getMessage());
    }

    @Test
    void missingUnderCiFails() {
        AssertionFailedError failed = assertThrows(AssertionFailedError.class, () -> Requirements.require(false, WHY, true));
        assertTrue(failed.getMessage().contains("CI=true"), failed.getMessage());
    }

    @Test
    void presentPassesEverywhere() {
        Requirements.require(true, WHY, true);
        Requirements.require(true, WHY, false);
    }

    @Test
    void toolsNameTheirDebianPackage() {
        assertEquals("llvm-symbolizer is not installed (apt-get install llvm)", Requirements.whyMissing("llvm-symbolizer"));
        assertEquals("genhtml is not installed (apt-get install lcov)", Requirements.whyMissing("genhtml"));
        assertEquals("gcc is not installed (apt-get install gcc)", Requirements.whyMissing("gcc"));
    }

    @Test
    void findsToolsOnThePath() {
        assertTrue(Requirements.onPath("sh"));
        assertTrue(!Requirements.onPath("no-such-tool-anywhere"));
    }
}
