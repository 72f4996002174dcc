package dev.kcovexplorer.kcov;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where one boot's kernel loaded the sections of its modules: what {@code /sys/module/NAME/sections/*}
 * say (root only), or, from a {@code /proc/modules} copy, only where each module's {@code .text}
 * starts. Module names are kept as the kernel spells them ({@code _}, never {@code -}); lookups accept
 * either. The kernel reports real addresses, while kcov subtracts the KASLR offset from every PC it records
 * ({@code canonicalize_ip} in {@code kernel/kcov.c}): the layout keeps the offset of its boot
 * ({@link #kaslrOffset}, 0 without KASLR) and {@link #sectionsOf} answers in kcov's addresses, where the
 * recorded PCs are. A module's
 * build id ({@code /sys/module/NAME/notes/.note.gnu.build-id}) is kept when it was recorded, so the
 * {@code .ko} used to symbolize can be checked to be the one that ran.
 */
public final class ModuleLayout {
    public static final ModuleLayout NONE = new ModuleLayout(Map.of(), Map.of(), List.of(), 0);

    private final Map<String, Map<String, Long>> sections;
    private final Map<String, Map<String, Long>> reported;
    private final Map<String, String> buildIds;
    private final List<String> warnings;
    private final long kaslrOffset;

    /** @param sections section addresses as the kernel reported them (real, KASLR offset included) */
    ModuleLayout(Map<String, Map<String, Long>> sections, Map<String, String> buildIds, List<String> warnings,
            long kaslrOffset) {
        List<String> said = new ArrayList<>(warnings);
        sections = withoutReusedInitRegions(sections, said);
        Map<String, Map<String, Long>> asReported = new LinkedHashMap<>();
        Map<String, Map<String, Long>> asKcov = new LinkedHashMap<>();
        sections.forEach((module, map) -> {
            Map<String, Long> shifted = new LinkedHashMap<>();
            map.forEach((section, address) -> shifted.put(section, address - kaslrOffset));
            asReported.put(module, Collections.unmodifiableMap(new LinkedHashMap<>(map)));
            asKcov.put(module, Collections.unmodifiableMap(shifted));
        });
        this.reported = Collections.unmodifiableMap(asReported);
        this.sections = Collections.unmodifiableMap(asKcov);
        this.buildIds = Map.copyOf(buildIds);
        this.warnings = List.copyOf(said);
        this.kaslrOffset = kaslrOffset;
    }

    /** Sections the kernel lays out in a module's init region ({@code kernel/module/main.c}, {@code kallsyms.c}). */
    public static boolean isInitRegion(String section) {
        return section.startsWith(".init") || section.equals(".symtab") || section.equals(".strtab");
    }

    /**
     * The sections less every module's init region that another module's section starts inside: the kernel
     * freed it after that module's init and loaded the other one there, yet sysfs still lists it (layouts
     * recorded before the agent left it out). Kept, it would claim the other module's PCs for init code.
     */
    private static Map<String, Map<String, Long>> withoutReusedInitRegions(Map<String, Map<String, Long>> sections,
            List<String> warnings) {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>(sections);
        for (Map.Entry<String, Map<String, Long>> module : sections.entrySet()) {
            long low = -1;
            long high = 0;
            for (Map.Entry<String, Long> s : module.getValue().entrySet()) {
                if (isInitRegion(s.getKey())) {
                    low = low == -1 || Long.compareUnsigned(s.getValue(), low) < 0 ? s.getValue() : low;
                    high = Long.compareUnsigned(s.getValue(), high) > 0 ? s.getValue() : high;
                }
            }
            if (low == -1) {
                continue;
            }
            String inside = null;
            for (Map.Entry<String, Map<String, Long>> other : sections.entrySet()) {
                for (Map.Entry<String, Long> s : other.getValue().entrySet()) {
                    if (inside == null && !other.getKey().equals(module.getKey())
                            && Long.compareUnsigned(s.getValue(), low) >= 0 && Long.compareUnsigned(s.getValue(), high) <= 0) {
                        inside = other.getKey() + " " + s.getKey() + " at 0x" + Long.toHexString(s.getValue());
                    }
                }
            }
            if (inside != null) {
                Map<String, Long> kept = new LinkedHashMap<>(module.getValue());
                kept.keySet().removeIf(ModuleLayout::isInitRegion);
                out.put(module.getKey(), kept);
                warnings.add(module.getKey() + ": its init sections (.init.*, .symtab, .strtab from 0x" + Long.toHexString(low)
                        + ") were freed and reused (" + inside + "): left out");
            }
        }
        return out;
    }

    /** The module name as the kernel spells it: {@code snd-hda-intel} and {@code snd_hda_intel} are one module. */
    public static String canonicalName(String module) {
        return module.replace('-', '_');
    }

    /** The modules this layout places, in the order first read. */
    public Set<String> modules() {
        return sections.keySet();
    }

    public boolean contains(String module) {
        return sections.containsKey(canonicalName(module));
    }

    /**
     * Section name → load address of {@code module} as kcov records PCs there (the address the kernel
     * reported minus the KASLR offset); empty when the layout does not have it.
     */
    public Map<String, Long> sectionsOf(String module) {
        return sections.getOrDefault(canonicalName(module), Map.of());
    }

    /** Section name → load address of {@code module} as the kernel reported it (sysfs), KASLR offset included. */
    public Map<String, Long> reportedSectionsOf(String module) {
        return reported.getOrDefault(canonicalName(module), Map.of());
    }

    /**
     * What kcov subtracted from every PC of this boot: {@code kaslr_offset()}, the distance of the running
     * kernel's {@code _text} from vmlinux's; 0 without KASLR.
     */
    public long kaslrOffset() {
        return kaslrOffset;
    }

    /** The same layout, recorded on a boot with this KASLR offset. */
    public ModuleLayout withKaslrOffset(long offset) {
        return new ModuleLayout(reported, buildIds, warnings, offset);
    }

    /** The build id the kernel reported for {@code module} (lower-case hex), or empty when it was not recorded. */
    public Optional<String> buildId(String module) {
        return Optional.ofNullable(buildIds.get(canonicalName(module)));
    }

    /** What the user should know about this layout (a {@code /proc/modules} copy places only {@code .text}). */
    public List<String> warnings() {
        return warnings;
    }

    public boolean isEmpty() {
        return sections.isEmpty();
    }

    /**
     * Two layouts are equal when they place the same sections at the same addresses, with the same KASLR
     * offset and build ids.
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof ModuleLayout that && reported.equals(that.reported) && kaslrOffset == that.kaslrOffset
                && buildIds.equals(that.buildIds);
    }

    @Override
    public int hashCode() {
        return (reported.hashCode() * 31 + Long.hashCode(kaslrOffset)) * 31 + buildIds.hashCode();
    }
}
