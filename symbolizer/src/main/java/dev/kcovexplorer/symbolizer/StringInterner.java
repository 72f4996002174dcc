package dev.kcovexplorer.symbolizer;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gives every distinct string a dense id, in first-seen order: a kernel's ~1M frames share a few ten
 * thousand names and paths. Safe for concurrent workers.
 */
public final class StringInterner {
    private final ConcurrentHashMap<String, Integer> ids = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();
    /** The strings by id, kept as they come: walking the map for them took a kernel build ~20 ms at its end. */
    private String[] byId = new String[1024];

    public int id(String s) {
        Integer id = ids.get(s);
        if (id != null) {
            return id;
        }
        return ids.computeIfAbsent(s, k -> {
            int assigned = next.getAndIncrement();
            remember(assigned, k);
            return assigned;
        });
    }

    private synchronized void remember(int id, String s) {
        if (id >= byId.length) {
            byId = Arrays.copyOf(byId, Math.max(2 * byId.length, id + 1));
        }
        byId[id] = s;
    }

    public synchronized String[] toArray() {
        return Arrays.copyOf(byId, next.get());
    }
}
