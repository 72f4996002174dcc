package dev.kcovexplorer.symbolizer;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gives every distinct string a dense id, in first-seen order: a kernel's ~1M frames share a few ten
 * thousand names and paths. Safe for concurrent workers.
 */
public final class StringInterner {
    private final ConcurrentHashMap<String, Integer> ids = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();

    public int id(String s) {
        Integer id = ids.get(s);
        if (id != null) {
            return id;
        }
        return ids.computeIfAbsent(s, k -> next.getAndIncrement());
    }

    public String[] toArray() {
        String[] out = new String[next.get()];
        ids.forEach((s, id) -> out[id] = s);
        return out;
    }
}
