package dev.kcovexplorer.symbolizer.index;

import dev.kcovexplorer.symbolizer.NativeTools;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The start of every program these tests compile with gcc: their C sources (resources beside the tests) copied into
 * the test's directory, and the coverage callback compiled there to {@code callback.o}, uninstrumented, for the
 * instrumented units to link against.
 */
final class CallbackPrograms {
    private static final String CALLBACK = "/dev/kcovexplorer/symbolizer/c/coverage_callback.c";

    private CallbackPrograms() {
    }

    /** Skips (or fails under CI) without gcc; then {@code sources} and the callback's source are in {@code dir}. */
    static void prepare(Path dir, String... sources) throws Exception {
        NativeTools.assume("gcc");
        copy(CALLBACK, dir);
        for (String source : sources) {
            copy(source, dir);
        }
        NativeTools.run(dir, List.of("gcc", "-O2", "-c", "-o", "callback.o", "coverage_callback.c"));
    }

    private static void copy(String resource, Path dir) throws Exception {
        try (InputStream in = CallbackPrograms.class.getResourceAsStream(resource)) {
            Files.copy(in, dir.resolve(Path.of(resource).getFileName()));
        }
    }
}
