package dev.kcovexplorer.app.ui;

import static dev.kcovexplorer.app.ui.WindowHarness.onFx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.ui.session.DirectorySources;
import dev.kcovexplorer.app.ui.snapshot.PngSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javafx.scene.control.TableColumn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes the README's screenshots of the main views to {@code docs/screenshots/}: the project tree with an
 * editor, the functions table, diff mode, and the dark theme, rendered by Monocle from real coverage of
 * the gcc fixture.
 */
class ScreenshotsTest {
    private static final Path SCREENSHOTS = Path.of("..", "docs", "screenshots");

    @TempDir
    Path config;

    private WindowHarness window;

    @BeforeAll
    static void needsToolsAndTheCheckout() {
        assumeTrue(FixtureSession.toolsAvailable(), "needs gcc, objdump and llvm-symbolizer on the PATH");
        assumeTrue(Files.isRegularFile(Path.of("..", "kcov-explorer")), "runs from the app module of a checkout");
    }

    @AfterEach
    void close() throws Exception {
        if (window != null) {
            window.close();
        }
    }

    @Test
    void writesTreeEditorFunctionsAndDiffScreenshots() throws Exception {
        FixtureSession fixture = FixtureSession.get();
        Session session = fixture.newSession();
        window = WindowHarness.open(config, 1500, 940);
        onFx(() -> {
            window.controller.show(session, new DirectorySources(fixture.directory, Map.of()), "fixture");
            return null;
        });
        window.awaitIdle();
        onFx(() -> {
            window.model.editors().open("fixture.h");
            window.model.editors().open("fixture.c", 0);
            return null;
        });
        window.awaitIdle();
        Path treeEditor = write("tree-editor.png");

        onFx(() -> {
            var table = window.view.functionsView().table();
            TableColumn<?, ?> percent = table.getColumns().get(4);
            table.getSortOrder().setAll(java.util.List.of(uncheckedColumn(percent)));
            percent.setSortType(TableColumn.SortType.DESCENDING);
            table.getSelectionModel().select(0);
            return null;
        });
        window.awaitIdle();
        Path functions = write("functions.png");

        onFx(() -> {
            window.model.composition().showDiff("basic", "extended");
            return null;
        });
        window.awaitIdle();
        int loopSum = session.layout().functionFirstLine(session.layout().findFunction("loop_sum", "fixture.c"));
        onFx(() -> {
            window.model.editors().selected().goToLine(loopSum);
            return null;
        });
        window.awaitIdle();
        Path diff = write("diff.png");

        onFx(() -> {
            window.model.setTheme("dark");
            window.model.composition().diffModeProperty().set(false);
            return null;
        });
        window.awaitIdle();
        Path dark = write("dark.png");

        for (Path png : new Path[] {treeEditor, functions, diff, dark}) {
            assertThat(Files.size(png)).as(png.toString()).isGreaterThan(20_000);
        }
    }

    @SuppressWarnings("unchecked")
    private static <S> TableColumn<S, ?> uncheckedColumn(TableColumn<?, ?> column) {
        return (TableColumn<S, ?>) column;
    }

    private Path write(String name) throws Exception {
        WindowHarness.pause(java.time.Duration.ofMillis(300));
        Files.createDirectories(SCREENSHOTS);
        Path out = SCREENSHOTS.resolve(name);
        onFx(() -> {
            PngSnapshot.write(window.scene, out);
            return null;
        });
        return out;
    }
}
