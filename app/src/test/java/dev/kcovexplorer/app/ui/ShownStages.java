package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.testing.Patience;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The stages a view test shows on Monocle, hidden after each test (the next test's window must not sit under
 * this one's): a field {@code @RegisterExtension final ShownStages stages = new ShownStages();}. The toolkit runs
 * before each test, so that a test can work on the FX thread ({@link #onFx}) before it shows anything.
 */
public final class ShownStages implements BeforeEachCallback, AfterEachCallback {
    private final List<Stage> shown = new CopyOnWriteArrayList<>();

    /** TestFX's primary stage, hidden after this test. */
    private Stage primary() throws TimeoutException {
        return hiddenAfterwards(FxToolkit.registerPrimaryStage());
    }

    /**
     * {@code view}, made on the FX thread, shown in TestFX's primary stage in a {@code width}×{@code height} scene;
     * hidden after this test. The stage is one JVM's tests share: a window test that gave it a size of its own
     * ({@link WindowHarness} sets 1500×940) would otherwise keep that size and resize the new scene to it.
     */
    public <T extends Parent> T showInPrimary(Callable<T> view, double width, double height) throws Exception {
        Stage stage = primary();
        return onFx(() -> {
            T made = view.call();
            Scene scene = new Scene(made, width, height);
            stage.setScene(scene);
            stage.sizeToScene();
            stage.show();
            if (scene.getWidth() != width || scene.getHeight() != height) {
                throw new IllegalStateException("the scene shown is " + scene.getWidth() + "×" + scene.getHeight()
                        + ", not the " + width + "×" + height + " asked for");
            }
            return made;
        });
    }

    /** {@code stage}, hidden after this test. */
    public Stage hiddenAfterwards(Stage stage) {
        shown.add(stage);
        return stage;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws TimeoutException {
        FxToolkit.registerPrimaryStage();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        List<Stage> toHide = List.copyOf(shown);
        shown.clear();
        if (!toHide.isEmpty()) {
            onFx(() -> {
                toHide.forEach(ShownStages::hideUnfocused);
                return null;
            });
        }
    }

    /**
     * Hides {@code stage} with the focus on its root first. Monocle leaves a hidden window focused, and with it the
     * focused control's caret blinking: the blink's timeline, which the toolkit's timer holds, held the window and
     * everything behind it (its model, its session) for the rest of the test JVM, blinking on the FX thread.
     */
    private static void hideUnfocused(Stage stage) {
        if (stage.getScene() != null && stage.getScene().getRoot() != null) {
            stage.getScene().getRoot().requestFocus();
        }
        stage.hide();
    }

    /** Runs {@code action} on the FX thread and waits ({@link Patience} at most) for what it returns. */
    public static <T> T onFx(Callable<T> action) throws Exception {
        return WaitForAsyncUtils.asyncFx(action).get(Patience.SECONDS, TimeUnit.SECONDS);
    }
}
