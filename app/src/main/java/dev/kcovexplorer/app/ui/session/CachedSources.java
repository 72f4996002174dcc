package dev.kcovexplorer.app.ui.session;

import dev.kcovexplorer.app.model.source.KernelSources;
import dev.kcovexplorer.app.model.source.SourceProgress;
import dev.kcovexplorer.app.ui.editor.CoverageDocument;
import dev.kcovexplorer.app.ui.task.Progress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Keeps the split lines of recently opened files, so reopening a file or restyling it for a new
 * composition reads nothing from disk (opening hub.c again is then only the styling).
 */
public final class CachedSources {
    private static final int FILES = 48;

    private final KernelSources sources;
    private final Map<String, Path> located = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, String[]> lines = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String[]> eldest) {
            return size() > FILES;
        }
    };

    public CachedSources(KernelSources sources) {
        this.sources = sources;
    }

    /** Finds the sources: afterwards files are read on demand. */
    public void prepare(Progress progress) throws IOException {
        sources.prepare(reporter(progress), progress::isCancelled);
        forgetLines();
    }

    /** Unpacks and checks everything else, the long part. */
    public void unpackRest(Progress progress) throws IOException {
        sources.unpackRest(reporter(progress), progress::isCancelled);
        forgetLines();
    }

    /** "Re-fetch sources": drops every copy, so that {@link #prepare} fetches them anew. */
    public void forgetCopies() throws IOException {
        sources.forgetCopies();
        forgetLines();
    }

    private void forgetLines() {
        synchronized (lines) {
            lines.clear();
        }
    }

    private static Consumer<SourceProgress> reporter(Progress progress) {
        return step -> {
            progress.message(step.message());
            progress.progress((long) (step.fraction() * 1000), step.fraction() < 0 ? -1 : 1000);
        };
    }

    /** "Locate…": from now on {@code path} is read from {@code file}, whatever the sources say. */
    public void locate(String path, Path file) {
        located.put(path, file);
        synchronized (lines) {
            lines.remove(path);
        }
    }

    /** The file's lines, or empty when the sources do not have it. */
    public Optional<String[]> lines(String path, Progress progress) throws IOException {
        synchronized (lines) {
            String[] cached = lines.get(path);
            if (cached != null) {
                return Optional.of(cached);
            }
        }
        Path file = located.get(path);
        Optional<String> text = file != null
                ? Optional.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8))
                : sources.text(path, progress::isCancelled);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String[] split = CoverageDocument.splitLines(text.get());
        synchronized (lines) {
            lines.put(path, split);
        }
        return Optional.of(split);
    }

    public String banner(String path) {
        Path file = located.get(path);
        return file != null ? "Shown from " + file + ", located by hand: it may differ from the file the kernel was built from."
                : sources.banner(path);
    }
}
