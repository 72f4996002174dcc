package dev.kcovexplorer.app.model.modules;

import dev.kcovexplorer.kcov.ModuleLayout;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import dev.kcovexplorer.symbolizer.index.KernelIndexMerger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The loadable modules a session holds coverage of. Each module's code sections have one address in
 * the session, chosen when the module joined it (where the first boot that had it loaded it, unless
 * that collides with a module already placed), and the module's index is built with its sections
 * there. A run from any boot reaches the session through its own layout ({@link #relocation}): a PC at
 * offset {@code o} into section {@code s} of module {@code m} in that boot is the session address of
 * {@code (m, s, o)}, so runs from different boots compare and compose. Immutable.
 */
public final class SessionModules {
    public static final SessionModules NONE = new SessionModules(List.of());

    /** A code section of a module where the session placed it. */
    public record Section(String name, long address, long size) {
        public long end() {
            return address + size;
        }
    }

    /**
     * A module as the session holds it.
     *
     * @param name     as the kernel spells it ({@code _}, never {@code -})
     * @param buildId  the build id of the {@code .ko} it was indexed from, or null
     * @param sections its code sections at their session addresses
     * @param index    its index, with those sections where {@code sections} says
     */
    public record Module(String name, String buildId, List<Section> sections, KernelIndex index) {
        public Module {
            sections = List.copyOf(sections);
        }

        public int section(String sectionName) {
            for (int s = 0; s < sections.size(); s++) {
                if (sections.get(s).name().equals(sectionName)) {
                    return s;
                }
            }
            return -1;
        }
    }

    /** Where a session address lies: module, section (indices) and the offset into that section. */
    public record Place(int module, int section, long offset) {
    }

    private final List<Module> modules;
    /** Every placed section ascending by start (signed order, as PCs are sorted), as module and section. */
    private final Section[] byStart;
    private final int[] byStartModule;
    private final int[] byStartSection;

    public SessionModules(List<Module> modules) {
        this.modules = List.copyOf(modules);
        Set<String> names = new HashSet<>();
        List<int[]> all = new ArrayList<>();
        for (int m = 0; m < modules.size(); m++) {
            if (!names.add(modules.get(m).name())) {
                throw new IllegalArgumentException("module " + modules.get(m).name() + " is in the session twice");
            }
            for (int s = 0; s < modules.get(m).sections().size(); s++) {
                all.add(new int[] {m, s});
            }
        }
        all.sort(Comparator.comparingLong(ms -> modules.get(ms[0]).sections().get(ms[1]).address()));
        byStart = new Section[all.size()];
        byStartModule = new int[all.size()];
        byStartSection = new int[all.size()];
        for (int i = 0; i < byStart.length; i++) {
            byStartModule[i] = all.get(i)[0];
            byStartSection[i] = all.get(i)[1];
            byStart[i] = modules.get(byStartModule[i]).sections().get(byStartSection[i]);
            if (i > 0 && Long.compareUnsigned(byStart[i - 1].end(), byStart[i].address()) > 0) {
                throw new IllegalArgumentException("module " + modules.get(byStartModule[i]).name() + " section "
                        + byStart[i].name() + " at 0x" + Long.toHexString(byStart[i].address()) + " overlaps "
                        + modules.get(byStartModule[i - 1]).name() + " " + byStart[i - 1].name());
            }
        }
    }

    public List<Module> modules() {
        return modules;
    }

    public boolean isEmpty() {
        return modules.isEmpty();
    }

    /** The module named so ({@code -} and {@code _} alike), or -1. */
    public int indexOf(String name) {
        String canonical = ModuleLayout.canonicalName(name);
        for (int m = 0; m < modules.size(); m++) {
            if (modules.get(m).name().equals(canonical)) {
                return m;
            }
        }
        return -1;
    }

    /** These modules and {@code more} (new ones, placed clear of these). */
    public SessionModules plus(List<Module> more) {
        List<Module> all = new ArrayList<>(modules);
        all.addAll(more);
        return new SessionModules(all);
    }

    /** One index of the kernel and every module, as the session's model works on it. */
    public KernelIndex mergedWith(KernelIndex kernel) {
        return KernelIndexMerger.merge(kernel, modules.stream().map(Module::index).toList());
    }

    /** The module and section holding session address {@code address}, or null (the kernel's, or nowhere). */
    public Place place(long address) {
        int i = lastStartAtOrBelow(address);
        if (i < 0 || Long.compareUnsigned(address - byStart[i].address(), byStart[i].size()) >= 0) {
            return null;
        }
        return new Place(byStartModule[i], byStartSection[i], address - byStart[i].address());
    }

    /** The name of the module holding session address {@code address}, or null. */
    public String moduleAt(long address) {
        Place place = place(address);
        return place == null ? null : modules.get(place.module()).name();
    }

    /** The session address of an offset into a module's section; the offset must lie inside it. */
    public long address(int module, int section, long offset) {
        Section s = modules.get(module).sections().get(section);
        if (offset < 0 || offset >= s.size()) {
            throw new IllegalArgumentException("offset 0x" + Long.toHexString(offset) + " is outside "
                    + modules.get(module).name() + " " + s.name() + " (0x" + Long.toHexString(s.size()) + " bytes)");
        }
        return s.address() + offset;
    }

    private int lastStartAtOrBelow(long address) {
        int lo = 0;
        int hi = byStart.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (byStart[mid].address() <= address) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo - 1;
    }

    /**
     * How PCs of one boot reach this session: every section of a session module that {@code layout}
     * places, from its boot address to its session address.
     */
    public Relocation relocation(ModuleLayout layout) {
        List<long[]> spans = new ArrayList<>(); // boot start, boot end, session start, module
        for (int m = 0; m < modules.size(); m++) {
            Map<String, Long> boot = layout.sectionsOf(modules.get(m).name());
            for (Section s : modules.get(m).sections()) {
                Long start = boot.get(s.name());
                if (start != null) {
                    spans.add(new long[] {start, start + s.size(), s.address(), m});
                }
            }
        }
        spans.sort(Comparator.comparingLong(span -> span[0]));
        return new Relocation(spans);
    }

    /** The boot-to-session mapping of one run's layout. */
    public final class Relocation {
        private final long[] bootStart;
        private final long[] bootEnd;
        private final long[] sessionStart;
        private final int[] module;

        private Relocation(List<long[]> spans) {
            bootStart = new long[spans.size()];
            bootEnd = new long[spans.size()];
            sessionStart = new long[spans.size()];
            module = new int[spans.size()];
            for (int i = 0; i < spans.size(); i++) {
                bootStart[i] = spans.get(i)[0];
                bootEnd[i] = spans.get(i)[1];
                sessionStart[i] = spans.get(i)[2];
                module[i] = (int) spans.get(i)[3];
            }
        }

        /** The span holding boot address {@code pc}, or -1. */
        private int span(long pc) {
            int lo = 0;
            int hi = bootStart.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (bootStart[mid] <= pc) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            int i = lo - 1;
            return i >= 0 && Long.compareUnsigned(pc - bootStart[i], bootEnd[i] - bootStart[i]) < 0 ? i : -1;
        }

        /** Whether boot address {@code pc} lies in a section of a session module. */
        public boolean inModule(long pc) {
            return span(pc) >= 0;
        }

        /** The session address of boot address {@code pc}, which must be {@link #inModule in a module}. */
        public long toSession(long pc) {
            int i = span(pc);
            if (i < 0) {
                throw new IllegalArgumentException("0x" + Long.toHexString(pc) + " is in no module section");
            }
            return sessionStart[i] + (pc - bootStart[i]);
        }

        /** The name of the module holding boot address {@code pc}, or null. */
        public String moduleOf(long pc) {
            int i = span(pc);
            return i < 0 ? null : modules.get(module[i]).name();
        }
    }
}
