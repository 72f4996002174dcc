package dev.kcovexplorer.app.ui;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.stage.Stage;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The stages a view test shows on Monocle, hidden after each test (the next test's window must not sit under
 * this one's): a field {@code @RegisterExtension final ShownStages stages = new ShownStages();}.
 */
public final class ShownStages implements AfterEachCallback {
    private final List<Stage> shown = new CopyOnWriteArrayList<>();

    /** TestFX's primary stage, hidden after this test. */
    public Stage primary() throws TimeoutException {
        return hiddenAfterwards(FxToolkit.registerPrimaryStage());
    }

    /** {@code stage}, hidden after this test. */
    public Stage hiddenAfterwards(Stage stage) {
        shown.add(stage);
        return stage;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        List<Stage> toHide = List.copyOf(shown);
        shown.clear();
        if (!toHide.isEmpty()) {
            onFx(() -> {
                toHide.forEach(Stage::hide);
                return null;
            });
        }
    }

    /** Runs {@code action} on the FX thread and waits (a minute at most) for what it returns. */
    public static <T> T onFx(Callable<T> action) throws Exception {
        return WaitForAsyncUtils.asyncFx(action).get(60, TimeUnit.SECONDS);
    }
}
