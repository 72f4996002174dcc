package dev.kcovexplorer.app;

import dev.kcovexplorer.app.cli.DemoWindow;
import dev.kcovexplorer.app.cli.KcovExplorerCommand;
import java.io.PrintWriter;

/**
 * Entry point of {@code ./kcov-explorer}. It does not extend {@code javafx.application.Application}
 * on purpose: JavaFX is on the class path, not the module path, and the JavaFX launcher refuses to
 * start an Application main class from there.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int status;
        try {
            // No argument, the menu entry: straight to the window, without the command line's parser.
            status = args.length == 0 ? DemoWindow.openAlone(new PrintWriter(System.err, true))
                    : KcovExplorerCommand.run(args);
        } catch (OutOfMemoryError e) {
            // An Error passes picocli's handler of user errors; what the heap could not hold is unwound by now.
            System.err.println(outOfMemory(Runtime.getRuntime().maxMemory()));
            status = 1;
        }
        System.exit(status);
    }

    /** What to tell the user whose input did not fit in a heap of {@code maxHeapBytes}. */
    static String outOfMemory(long maxHeapBytes) {
        return "kcov-explorer: out of memory: the input needs more than the Java heap's limit of "
                + (maxHeapBytes >> 20) + " MB; raise it, e.g. KCOV_EXPLORER_JAVA_OPTS=-Xmx8g"
                + " (this variable replaces the launcher's JVM options)";
    }
}
