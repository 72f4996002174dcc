package dev.kcovexplorer.app.model;

import dev.kcovexplorer.symbolizer.Frame;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import dev.kcovexplorer.symbolizer.index.RemoteSites;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the kernel collects remote coverage, from the calls of {@code kcov_remote_start} /
 * {@code kcov_remote_stop} the index found in the image: a function that calls them (through the
 * {@code kcov_remote_start_usb()}-style inline wrappers of {@code include/linux/kcov.h}) is collected for its
 * remote handle only from after its first start line to its last stop line. Its lines before and after
 * ran uncollected: kcov cannot say whether they ran, so {@link Coverage} paints them
 * {@link LineState#OUTSIDE_REMOTE} rather than uncovered. The start line itself counts as outside (its points
 * run before the start call), the stop line as inside (its points run before the stop call).
 */
public final class RemoteSections {
    /** Where a section opens or closes, for the editor's ▶/■ markers. */
    public record Marker(String path, int line, boolean start, String function, String wrapper, Subsystem subsystem) {
    }

    /** The kind of handle a section is collected for, read from the wrapper it is opened with. */
    public enum Subsystem {
        USB("USB bus handle (the bus number)"),
        COMMON("common handle (of the task that set it up)"),
        UNKNOWN("handle computed at run time");

        private final String description;

        Subsystem(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }

        /** True when a run's remote source ("USB bus 1, USB bus 2", "common 0x42") collects this kind of handle. */
        public boolean collectedBy(String remoteSource) {
            if (remoteSource == null) {
                return false;
            }
            String source = remoteSource.toLowerCase(Locale.ROOT);
            return switch (this) {
                case USB -> source.contains("usb");
                case COMMON -> source.contains("common");
                case UNKNOWN -> !source.contains("local");
            };
        }
    }

    private static final String WRAPPER_PREFIX = "kcov_remote_";

    private final boolean known;
    private final boolean[] outside;
    private final Map<String, List<Marker>> markersByPath;
    private final Map<Integer, Subsystem> openers;

    private RemoteSections(boolean known, boolean[] outside, Map<String, List<Marker>> markersByPath,
                           Map<Integer, Subsystem> openers) {
        this.known = known;
        this.outside = outside;
        this.markersByPath = markersByPath;
        this.openers = openers;
    }

    static RemoteSections of(CoverageLayout layout) {
        KernelIndex index = layout.index();
        boolean[] outside = new boolean[layout.lineCount()];
        if (!index.hasRemoteSites()) {
            return new RemoteSections(false, outside, Map.of(), Map.of());
        }
        RemoteSites sites = index.remoteSites();
        Map<String, List<Marker>> markers = new HashMap<>();
        Map<Integer, int[]> sectionOfFunction = new HashMap<>(); // function → {first start, last stop}
        Map<Integer, Subsystem> openers = new HashMap<>();
        for (int s = 0; s < sites.count(); s++) {
            Marker marker = marker(layout, sites.chain(s), sites.isStart(s));
            if (marker == null) {
                continue;
            }
            markers.computeIfAbsent(marker.path(), k -> new ArrayList<>()).add(marker);
            int function = layout.findFunction(marker.function(), marker.path());
            if (function >= 0) {
                int[] section = sectionOfFunction.computeIfAbsent(function,
                        k -> new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE});
                if (marker.start()) {
                    openers.merge(function, marker.subsystem(), (a, b) -> a == b ? a : Subsystem.UNKNOWN);
                    section[0] = section[0] == Integer.MIN_VALUE ? marker.line() : Math.min(section[0], marker.line());
                } else {
                    section[1] = section[1] == Integer.MAX_VALUE ? marker.line() : Math.max(section[1], marker.line());
                }
            }
        }
        markers.replaceAll((path, list) -> withStartSubsystems(list));
        Csr functionLines = layout.functionLinesTable();
        sectionOfFunction.forEach((function, section) -> {
            for (int i = functionLines.start[function]; i < functionLines.start[function + 1]; i++) {
                int line = functionLines.values[i];
                int number = layout.lineNumber(line);
                if (number <= section[0] || number > section[1]) {
                    outside[line] = true;
                }
            }
        });
        return new RemoteSections(true, outside, Map.copyOf(markers), Map.copyOf(openers));
    }

    /** A plain {@code kcov_remote_stop()} closes the section of its function's start: it takes that handle kind. */
    private static List<Marker> withStartSubsystems(List<Marker> markers) {
        Map<String, Subsystem> startOf = new HashMap<>();
        for (Marker m : markers) {
            if (m.start()) {
                startOf.merge(m.function(), m.subsystem(), (a, b) -> a == b ? a : Subsystem.UNKNOWN);
            }
        }
        List<Marker> out = new ArrayList<>(markers.size());
        for (Marker m : markers) {
            Subsystem subsystem = m.start() || m.subsystem() != Subsystem.UNKNOWN ? m.subsystem()
                    : startOf.getOrDefault(m.function(), Subsystem.UNKNOWN);
            out.add(new Marker(m.path(), m.line(), m.start(), m.function(), m.wrapper(), subsystem));
        }
        return List.copyOf(out);
    }

    /** The site's caller: the first frame outside the kcov wrappers; null when the chain names none. */
    private static Marker marker(CoverageLayout layout, List<Frame> chain, boolean start) {
        String wrapper = null;
        for (Frame frame : chain) {
            if (frame.function().startsWith(WRAPPER_PREFIX)) {
                wrapper = frame.function();
                continue;
            }
            if (frame.line() <= 0) {
                return null;
            }
            return new Marker(layout.paths().toRelative(frame.file()), frame.line(), start, frame.function(),
                    wrapper != null ? wrapper : start ? "kcov_remote_start" : "kcov_remote_stop", subsystem(wrapper));
        }
        return null;
    }

    private static Subsystem subsystem(String wrapper) {
        if (wrapper == null) {
            return Subsystem.UNKNOWN;
        }
        return wrapper.contains("_usb") ? Subsystem.USB : wrapper.contains("_common") ? Subsystem.COMMON
                : Subsystem.UNKNOWN;
    }

    /** False for an index made before remote sections were indexed: nothing is known, nothing is marked. */
    public boolean known() {
        return known;
    }

    /** True when layout line {@code line} belongs to a function with a remote section and lies outside it. */
    public boolean isOutside(int line) {
        return outside[line];
    }

    /**
     * The function whose remote section must have run when a run collected from {@code remoteSource} (null:
     * unknown, any kind) holds coverage, or -1 when that cannot be told.
     *
     * <p>Why: kcov collects for a remote handle only between {@code kcov_remote_start*()} and
     * {@code kcov_remote_stop()}, so every point such a run holds ran inside a section opened for a handle kind
     * it collects, in the opener itself or in a callee the section reached. The opener's own points often say
     * nothing: {@code vhost_worker()}'s section is just {@code work->fn(work)}, an indirect call, so all the
     * coverage is its callees' and none of its points is collected, and it would look as if it never ran. When
     * exactly one function of the image opens sections of the kinds the run collects, the callees' coverage
     * can only have come from its section: it ran. With several candidates ({@code hub_event()} and
     * {@code __usb_hcd_giveback_urb()} both open USB sections) the index holds no call graph that would say
     * which section reached the callees, so none is claimed beyond its own points.
     */
    public int soleOpenerCollectedBy(String remoteSource) {
        int sole = -1;
        for (Map.Entry<Integer, Subsystem> opener : openers.entrySet()) {
            if (remoteSource == null || opener.getValue().collectedBy(remoteSource)) {
                if (sole >= 0) {
                    return -1;
                }
                sole = opener.getKey();
            }
        }
        return sole;
    }

    /** The section starts and stops in a file (by its layout path), in no particular order. */
    public List<Marker> markers(String path) {
        return markersByPath.getOrDefault(path, List.of());
    }
}
