package dev.kcovexplorer.app.model;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PathMapperTest {
    @Test
    void stripsTheCompDirAndCollapsesDots() {
        PathMapper mapper = PathMapper.forCompDir("/build/linux-6.1/");
        assertThat(mapper.toRelative("/build/linux-6.1/./drivers/usb/core/hub.c")).isEqualTo("drivers/usb/core/hub.c");
        assertThat(mapper.toRelative("/build/linux-6.1/include/../include/linux/kcov.h"))
                .isEqualTo("include/linux/kcov.h");
        assertThat(mapper.toRelative("/build/linux-6.1x/foo.c")).as("a sibling directory is not under the root")
                .isEqualTo("/build/linux-6.1x/foo.c");
        assertThat(mapper.toRelative("/usr/lib/gcc/x86_64-linux-gnu/12/include/stddef.h"))
                .isEqualTo("/usr/lib/gcc/x86_64-linux-gnu/12/include/stddef.h");
    }

    @Test
    void prefixRulesWinOverTheCompDirLongestFirst() {
        PathMapper mapper = new PathMapper("/build/linux", Map.of("/build/linux/drivers", "drv", "/ci/src", ""));
        assertThat(mapper.toRelative("/build/linux/drivers/usb/core/hub.c")).isEqualTo("drv/usb/core/hub.c");
        assertThat(mapper.toRelative("/build/linux/kernel/kcov.c")).isEqualTo("kernel/kcov.c");
        assertThat(mapper.toRelative("/ci/src/kernel/kcov.c")).isEqualTo("kernel/kcov.c");
    }
}
