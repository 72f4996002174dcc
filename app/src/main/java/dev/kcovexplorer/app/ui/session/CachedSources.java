package dev.kcovexplorer.app.ui.session;

import dev.kcovexplorer.app.ui.editor.CoverageDocument;
import dev.kcovexplorer.app.ui.task.Progress;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps the split lines of recently opened files, so reopening a file or restyling it for a new
 * composition reads nothing from disk (opening hub.c again is then only the styling).
 */
public final class CachedSources {
    private static final int FILES = 48;

    private final EditorSources sources;
    private final Map<String, String[]> lines = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String[]> eldest) {
            return size() > FILES;
        }
    };

    public CachedSources(EditorSources sources) {
        this.sources = sources;
    }

    public void prepare(Progress progress) throws IOException {
        sources.prepare(progress);
        synchronized (lines) {
            lines.clear();
        }
    }

    /** The file's lines, or empty when the sources do not have it. */
    public Optional<String[]> lines(String path) throws IOException {
        synchronized (lines) {
            String[] cached = lines.get(path);
            if (cached != null) {
                return Optional.of(cached);
            }
        }
        Optional<String> text = sources.text(path);
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
        return sources.banner(path);
    }
}
