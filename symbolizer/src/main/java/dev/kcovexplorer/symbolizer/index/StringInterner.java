package dev.kcovexplorer.symbolizer.index;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Gives each distinct string one id: ~400k frames share a few ten thousand names and paths. */
final class StringInterner {
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> strings = new ArrayList<>();

    int intern(String s) {
        Integer id = ids.get(s);
        if (id == null) {
            id = strings.size();
            strings.add(s);
            ids.put(s, id);
        }
        return id;
    }

    String[] toArray() {
        return strings.toArray(new String[0]);
    }
}
