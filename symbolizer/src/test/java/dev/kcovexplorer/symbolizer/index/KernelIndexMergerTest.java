package dev.kcovexplorer.symbolizer.index;

import dev.kcovexplorer.symbolizer.Frame;
import dev.kcovexplorer.symbolizer.ModuleFixture;
import dev.kcovexplorer.symbolizer.NativeTools;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A "kernel" (the gcc fixture linked by ld) and two "modules" (the fixture built with other flags, placed
 * at two section layouts) merged into one index: every point, comparison site, tail-table entry and
 * remote site of every part is found in the merged index at its address with the same kind, chain and
 * candidates, and overlapping parts are refused. The modules are compiled in a directory of their own
 * (no {@code -fdebug-prefix-map}), as a module built in a copy of the kernel tree is: their files are
 * found under the kernel's comp dir in the merged index.
 */
class KernelIndexMergerTest {
    private static final long KERNEL = 0xffffffff81000000L;
    private static final long STUBS = 0xffffffff82000000L;

    @TempDir
    static Path dir;
    static KernelIndex kernel;
    static KernelIndex usbcore;
    static KernelIndex vhost;
    static ModuleFixture moduleFixture;
    /** Where gcc compiled each, as the DWARF says (readelf). */
    static String kernelRoot;
    static String moduleRoot;

    @BeforeAll
    static void build() throws Exception {
        for (String tool : List.of("gcc", "ld", "nm", "readelf")) {
            NativeTools.assume(tool);
        }
        ModuleFixture kernelFixture = ModuleFixture.build(dir.resolve("kernel"), List.of("-gdwarf-5"));
        Path linked = kernelFixture.link("vmlinux", kernelFixture.layout(KERNEL), STUBS);
        kernel = new KernelIndexBuilder().build(linked, BuildMonitor.SILENT);
        moduleFixture = ModuleFixture.build(dir.resolve("module"), List.of("-gdwarf-4", "-ffunction-sections"));
        usbcore = placed(moduleFixture.layout(0xffffffffc0a10000L));
        vhost = placed(moduleFixture.layout(0xffffffffc0b40000L));
        kernelRoot = compDirOf(linked);
        moduleRoot = compDirOf(moduleFixture.object());
    }

    /** The one DW_AT_comp_dir of an object's units, as readelf prints it. */
    private static String compDirOf(Path elf) throws Exception {
        List<String> dirs = Arrays.stream(NativeTools.run(elf.getParent(),
                        List.of("readelf", "--debug-dump=info", elf.toString())).split("\n"))
                .filter(l -> l.contains("DW_AT_comp_dir")).map(l -> l.substring(l.lastIndexOf(": ") + 2).trim())
                .distinct().toList();
        assertThat(dirs).as("comp dirs of " + elf).hasSize(1);
        return dirs.get(0);
    }

    private static KernelIndex placed(Map<String, Long> layout) throws Exception {
        try (ElfFile elf = ElfFile.openPlaced(moduleFixture.object(), layout)) {
            return new KernelIndexBuilder().build(elf, BuildMonitor.SILENT);
        }
    }

    @Test
    void everyPartIsFoundWhole() {
        KernelIndex merged = KernelIndexMerger.merge(kernel, List.of(vhost, usbcore));

        assertThat(merged.pointCount()).isEqualTo(kernel.pointCount() + usbcore.pointCount() + vhost.pointCount());
        assertThat(merged.buildId()).isEqualTo(kernel.buildId());
        assertThat(merged.compDir()).isEqualTo(kernel.compDir());
        assertThat(merged.stringCount()).as("strings the parts share are stored once")
                .isLessThan(kernel.stringCount() + usbcore.stringCount() + vhost.stringCount());
        long[] addresses = merged.rawPoints();
        long[] sorted = addresses.clone();
        Arrays.sort(sorted);
        assertThat(addresses).isEqualTo(sorted);
        for (KernelIndex part : List.of(kernel, usbcore, vhost)) {
            assertSameWithin(merged, part);
            assertThat(part.tailReturnAddressCount()).as("tail-called coverage in each part").isPositive();
            assertSameWithin(merged.comparisonSites(), part.comparisonSites());
        }
        assertThat(merged.remoteSites().count())
                .isEqualTo(kernel.remoteSites().count() + usbcore.remoteSites().count() + vhost.remoteSites().count());
        for (KernelIndex part : List.of(kernel, usbcore, vhost)) {
            for (int s = 0; s < part.remoteSites().count(); s++) {
                long address = part.remoteSites().address(s);
                int found = -1;
                for (int m = 0; m < merged.remoteSites().count(); m++) {
                    found = merged.remoteSites().address(m) == address ? m : found;
                }
                assertThat(found).isNotNegative();
                assertThat(merged.remoteSites().isStart(found)).isEqualTo(part.remoteSites().isStart(s));
                assertThat(merged.remoteSites().chain(found)).isEqualTo(part.remoteSites().chain(s));
            }
        }
    }

    /**
     * Each point of {@code part} is in {@code merged} with its kind and chain (a module's files under the
     * kernel's tree), each tail entry with its candidates.
     */
    private static void assertSameWithin(KernelIndex merged, KernelIndex part) {
        assertThat(part.pointCount()).isPositive();
        for (int p = 0; p < part.pointCount(); p++) {
            int m = merged.findPoint(part.pointAddress(p));
            assertThat(m).as("0x%x", part.pointAddress(p)).isNotNegative();
            assertThat(merged.pointKind(m)).isEqualTo(part.pointKind(p));
            assertThat(merged.frames(m)).isEqualTo(part.frames(p).stream()
                    .map(f -> new Frame(f.function(), f.linkage(), underKernelTree(f.file()), f.line(), f.column()))
                    .toList());
        }
        long[] tails = merged.rawTailReturnAddresses();
        for (int e = 0; e < part.tailReturnAddressCount(); e++) {
            int m = Arrays.binarySearch(tails, part.tailReturnAddress(e));
            assertThat(m).isNotNegative();
            long[] expected = Arrays.stream(part.tailCandidates(e)).mapToLong(part::pointAddress).toArray();
            long[] actual = Arrays.stream(merged.tailCandidates(m)).mapToLong(merged::pointAddress).toArray();
            assertThat(actual).isEqualTo(expected);
        }
    }

    /** A file of a module compiled in {@link #moduleRoot}, at its place in the kernel's tree. */
    private static String underKernelTree(String file) {
        return file.startsWith(moduleRoot + "/") ? kernelRoot + file.substring(moduleRoot.length()) : file;
    }

    @Test
    void aModuleCompiledElsewhereHasItsFilesInTheKernelsTree() {
        assertThat(moduleRoot).isNotEqualTo(kernelRoot);
        KernelIndex merged = KernelIndexMerger.merge(kernel, List.of(usbcore));

        java.util.Set<String> files = new java.util.TreeSet<>();
        for (int p = 0; p < usbcore.pointCount(); p++) {
            merged.frames(merged.findPoint(usbcore.pointAddress(p))).forEach(f -> files.add(f.file()));
        }
        assertThat(files).contains(kernelRoot + "/hub.c", kernelRoot + "/ports.c", kernelRoot + "/helpers.h")
                .noneMatch(f -> f.startsWith(moduleRoot + "/"));
    }

    @Test
    void noModulesLeaveTheKernelAsItIs() {
        assertThat(KernelIndexMerger.merge(kernel, List.of())).isSameAs(kernel);
    }

    @Test
    void overlappingPartsAreRefused() {
        assertThatThrownBy(() -> KernelIndexMerger.merge(kernel, List.of(usbcore, usbcore)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("their sections overlap");
    }
}
