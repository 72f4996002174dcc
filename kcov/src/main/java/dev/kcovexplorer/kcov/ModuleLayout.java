package dev.kcovexplorer.kcov;

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
 * either. Addresses are as the kernel reports them: a PC kcov recorded lies in a module's section when
 * the kernel runs without KASLR, or once both are taken relative to the same KASLR offset. A module's
 * build id ({@code /sys/module/NAME/notes/.note.gnu.build-id}) is kept when it was recorded, so the
 * {@code .ko} used to symbolize can be checked to be the one that ran.
 */
public final class ModuleLayout {
    public static final ModuleLayout NONE = new ModuleLayout(Map.of(), Map.of(), List.of());

    private final Map<String, Map<String, Long>> sections;
    private final Map<String, String> buildIds;
    private final List<String> warnings;

    ModuleLayout(Map<String, Map<String, Long>> sections, Map<String, String> buildIds, List<String> warnings) {
        Map<String, Map<String, Long>> copy = new LinkedHashMap<>();
        sections.forEach((module, map) -> copy.put(module, Collections.unmodifiableMap(new LinkedHashMap<>(map))));
        this.sections = Collections.unmodifiableMap(copy);
        this.buildIds = Map.copyOf(buildIds);
        this.warnings = List.copyOf(warnings);
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

    /** Section name → load address of {@code module}; empty when the layout does not have it. */
    public Map<String, Long> sectionsOf(String module) {
        return sections.getOrDefault(canonicalName(module), Map.of());
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

    /** Two layouts are equal when they place the same sections at the same addresses with the same build ids. */
    @Override
    public boolean equals(Object other) {
        return other instanceof ModuleLayout that && sections.equals(that.sections) && buildIds.equals(that.buildIds);
    }

    @Override
    public int hashCode() {
        return sections.hashCode() * 31 + buildIds.hashCode();
    }
}
