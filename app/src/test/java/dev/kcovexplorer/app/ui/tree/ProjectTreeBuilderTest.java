package dev.kcovexplorer.app.ui.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProjectTreeBuilderTest {
    private static final List<FileFigures> FILES = List.of(
            new FileFigures("drivers/usb/core/hub.c", 250, 1900, 700, 4100, 0, 0),
            new FileFigures("drivers/usb/core/urb.c", 40, 300, 90, 600, 0, 0),
            new FileFigures("drivers/vhost/vhost.c", 80, 1200, 200, 2400, 0, 0),
            new FileFigures("include/linux/list.h", 0, 30, 0, 50, 0, 0),
            new FileFigures("kernel/kcov.c", 60, 200, 120, 300, 0, 0));

    @Test
    void singleChildDirectoriesCollapseAndDirectoriesComeFirst() {
        ProjectNode root = ProjectTreeBuilder.build(FILES, Map.of(), "", false);
        assertThat(names(root)).containsExactly("drivers", "include/linux", "kernel");
        ProjectNode drivers = root.children().get(0);
        assertThat(names(drivers)).containsExactly("usb/core", "vhost");
        ProjectNode usbCore = drivers.children().get(0);
        assertThat(usbCore.path()).isEqualTo("drivers/usb/core");
        assertThat(names(usbCore)).containsExactly("hub.c", "urb.c");
    }

    @Test
    void directoriesSumTheirFilesUnlessTheModelGivesTheirFigures() {
        ProjectNode root = ProjectTreeBuilder.build(FILES, Map.of(), "", false);
        ProjectNode drivers = root.children().get(0);
        assertThat(drivers.coveredLines()).isEqualTo(250 + 40 + 80);
        assertThat(drivers.coverableLines()).isEqualTo(1900 + 300 + 1200);

        // A point inlined into two files counts once for their directory: the model's figure wins.
        Map<String, FileFigures> model = Map.of("drivers", new FileFigures("drivers", 370, 3400, 950, 7000, 0, 0));
        ProjectNode withModel = ProjectTreeBuilder.build(FILES, model, "", false);
        assertThat(withModel.children().get(0).points()).isEqualTo(7000);
    }

    @Test
    void filterKeepsMatchingFilesAndTheirParents() {
        ProjectNode root = ProjectTreeBuilder.build(FILES, Map.of(), "HUB", false);
        List<String> files = new ArrayList<>();
        root.collectFiles(files);
        assertThat(files).containsExactly("drivers/usb/core/hub.c");
        assertThat(names(root)).containsExactly("drivers/usb/core");
    }

    @Test
    void hidingUncoveredDropsFilesWithoutCoveredLinesButKeepsDiffChanges() {
        List<FileFigures> withDiff = new ArrayList<>(FILES);
        withDiff.add(new FileFigures("fs/open.c", 0, 80, 0, 150, 0, 3));
        ProjectNode root = ProjectTreeBuilder.build(withDiff, Map.of(), "", true);
        List<String> files = new ArrayList<>();
        root.collectFiles(files);
        assertThat(files).doesNotContain("include/linux/list.h").contains("fs/open.c", "kernel/kcov.c");
    }

    private static List<String> names(ProjectNode node) {
        return node.children().stream().map(ProjectNode::name).toList();
    }
}
