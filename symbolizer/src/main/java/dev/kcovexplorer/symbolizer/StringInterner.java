package dev.kcovexplorer.symbolizer;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Gives every distinct string a dense id; safe for concurrent workers. */
final class StringInterner {
    private final ConcurrentHashMap<String, Integer> ids = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();

    int id(String s) {
        Integer id = ids.get(s);
        if (id != null) {
            return id;
        }
        return ids.computeIfAbsent(s, k -> next.getAndIncrement());
    }

    String[] toArray() {
        String[] out = new String[next.get()];
        ids.forEach((s, id) -> out[id] = s);
        return out;
    }
}
