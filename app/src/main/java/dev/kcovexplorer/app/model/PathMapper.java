package dev.kcovexplorer.app.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Turns the full source paths DWARF gives (comp dir + dir + name) into paths relative to the kernel
 * source root, such as {@code drivers/usb/core/hub.c}. Prefix rules come first (a kernel built in
 * {@code /build/linux-6.1} but browsed from elsewhere), then the build's comp dir is stripped. Paths
 * outside both (compiler headers such as {@code /usr/lib/gcc/.../stddef.h}) stay absolute.
 */
public final class PathMapper {
    private final String compDir;
    private final List<Map.Entry<String, String>> prefixRules;

    /**
     * @param compDir     the DWARF comp dir of the build, or null
     * @param prefixRules "from" prefix to "to" replacement, tried longest "from" first
     */
    public PathMapper(String compDir, Map<String, String> prefixRules) {
        this.compDir = compDir == null || compDir.isEmpty() ? null : stripTrailingSlash(normalize(compDir));
        List<Map.Entry<String, String>> rules = new ArrayList<>();
        prefixRules.forEach((from, to) -> rules.add(Map.entry(stripTrailingSlash(normalize(from)), to)));
        rules.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed());
        this.prefixRules = List.copyOf(rules);
    }

    public static PathMapper forCompDir(String compDir) {
        return new PathMapper(compDir, Map.of());
    }

    public String compDir() {
        return compDir;
    }

    /** The rules as given, longest prefix first. */
    public List<Map.Entry<String, String>> prefixRules() {
        return prefixRules;
    }

    /** The display path of a DWARF file path: relative to the source root when it lies under it. */
    public String toRelative(String dwarfPath) {
        String path = normalize(dwarfPath);
        for (Map.Entry<String, String> rule : prefixRules) {
            String rest = under(path, rule.getKey());
            if (rest != null) {
                String to = stripTrailingSlash(rule.getValue());
                return to.isEmpty() ? rest : normalize(to + "/" + rest);
            }
        }
        if (compDir != null) {
            String rest = under(path, compDir);
            if (rest != null) {
                return rest;
            }
        }
        return path;
    }

    /** The rest of {@code path} after {@code dir/}, or null when the path is not under the directory. */
    private static String under(String path, String dir) {
        if (dir.isEmpty() || !path.startsWith(dir)) {
            return null;
        }
        if (path.length() > dir.length() && path.charAt(dir.length()) == '/') {
            return path.substring(dir.length() + 1);
        }
        return dir.endsWith("/") ? path.substring(dir.length()) : null;
    }

    private static String stripTrailingSlash(String s) {
        return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** Collapses "//", "/./" and "dir/../" the way the kernel build's paths need it. */
    static String normalize(String path) {
        if (path.indexOf("/.") < 0 && path.indexOf("//") < 0 && !path.startsWith("./")) {
            return path;
        }
        boolean absolute = path.startsWith("/");
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") && !parts.isEmpty() && !parts.get(parts.size() - 1).equals("..")) {
                parts.remove(parts.size() - 1);
            } else {
                parts.add(part);
            }
        }
        String joined = String.join("/", parts);
        return absolute ? "/" + joined : joined;
    }
}
