package dev.kcovexplorer.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kcovexplorer.app.model.fixture.ModularKernel;
import dev.kcovexplorer.app.model.fixture.Tools;
import dev.kcovexplorer.kcov.ModuleLayoutWriter;
import dev.kcovexplorer.symbolizer.attribution.UnresolvedReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs recorded on two boots of a modular kernel, which loaded the gcc-built fixture module at different
 * addresses and in a different section order: {@code report} and {@code session create} place each
 * run's module PCs through its own layout, so the union, intersection and difference of the runs are
 * those of the points by section and offset (objdump's call sites in each boot's ld-linked twin), and
 * the session keeps them as such, opening without the module files. A run with module PCs and no
 * layout, and a layout without --modules, are clear errors.
 */
class ModularSessionCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static ModularKernel kernel;
    static ModularKernel.Boot boot1;
    static ModularKernel.Boot boot2;
    static List<String> points;
    static Set<String> hitByA;
    static Set<String> hitByB;
    static Path dumpA;
    static Path dumpB;
    static long kernelPc;

    @BeforeAll
    static void build() throws Exception {
        ModularKernel.requireTools();
        kernel = ModularKernel.build(dir.resolve("build"));
        boot1 = kernel.boot("boot1", 0xffffffffc0a10000L, true);
        boot2 = kernel.boot("boot2", 0xffffffffc0c40000L, false);
        points = new ArrayList<>(boot1.callSites().values());
        assertThat(new TreeSet<>(boot2.callSites().values())).as("the same points in both boots")
                .isEqualTo(new TreeSet<>(points));
        assertThat(points.stream().map(p -> p.substring(0, p.indexOf('+'))).distinct().count())
                .as("points in several text sections").isGreaterThan(2);
        hitByA = new LinkedHashSet<>();
        hitByB = new LinkedHashSet<>();
        for (int i = 0; i < points.size(); i++) {
            if (i % 2 == 0) {
                hitByA.add(points.get(i));
            }
            if (i % 3 == 0) {
                hitByB.add(points.get(i));
            }
        }
        kernelPc = kernel.kernelReturnAddress();
        System.out.println("module points: " + points.size() + "; run A hits " + hitByA.size() + " (boot 1), run B "
                + hitByB.size() + " (boot 2)");
        dumpA = dump("a.txt", boot1, hitByA);
        dumpB = dump("b.txt", boot2, hitByB);
    }

    /** A PC list of the return addresses of {@code hit} in {@code boot}, and the kernel's, with the boot's layout beside it. */
    private static Path dump(String name, ModularKernel.Boot boot, Set<String> hit) throws IOException {
        StringBuilder text = new StringBuilder("0x" + Long.toHexString(kernelPc) + "\n");
        hit.forEach(p -> text.append("0x").append(Long.toHexString(boot.addressOf(p) + 5)).append('\n'));
        Path dump = Files.writeString(dir.resolve(name), text);
        Files.copy(boot.layoutFile(), ModuleLayoutWriter.besideDump(dump));
        return dump;
    }

    /** The covered call sites a rawcover report lists, as points named by section and offset (boot 1's addresses). */
    private static Set<String> rawcover(CliRunner.Result r) {
        assertThat(r.status()).as(r.err()).isZero();
        Set<String> out = new TreeSet<>();
        for (String line : r.out().split("\n")) {
            if (line.startsWith("0x")) {
                long site = Long.parseUnsignedLong(line.substring(2), 16);
                String point = boot1.callSites().get(site);
                out.add(point != null ? point : "kernel " + line);
            }
        }
        return out;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.addAll(b);
        return out;
    }

    private static String kernelSite() {
        return "kernel 0x" + Long.toHexString(kernelPc - 5);
    }

    /**
     * The module calls the kernel's report_event, which has no coverage: a PC after such a call stays unresolved,
     * and the report says why from the module's code (a call into another image), not that it lies outside the
     * vmlinux's code. Where the calls are comes from objdump of boot 1's twin.
     */
    @Test
    void anUnresolvedModulePcIsExplainedFromTheModulesCode() throws Exception {
        Pattern call = Pattern.compile("^\\s*([0-9a-f]+):\\s+call\\s+[0-9a-f]+ <report_event>");
        StringBuilder text = new StringBuilder("0x" + Long.toHexString(kernelPc) + "\n");
        int calls = 0;
        for (String line : Tools.check(dir, null, List.of("objdump", "-d", "--no-show-raw-insn",
                boot1.twin().toString())).split("\n")) {
            Matcher m = call.matcher(line);
            if (m.find()) {
                text.append("0x").append(Long.toHexString(Long.parseUnsignedLong(m.group(1), 16) + 5)).append('\n');
                calls++;
            }
        }
        assertThat(calls).as("the module calls report_event").isPositive();
        Path dump = Files.writeString(dir.resolve("after-calls.txt"), text);
        Files.copy(boot1.layoutFile(), ModuleLayoutWriter.besideDump(dump));

        CliRunner.Result r = CliRunner.run("report", "--vmlinux", kernel.vmlinux().toString(), "--modules",
                kernel.modules().toString(), "run=" + dump);
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode attribution = JSON.readTree(r.out()).path("attribution");
        assertThat(attribution.path("unresolved").asInt()).isEqualTo(calls);
        Map<String, Integer> reasons = new java.util.TreeMap<>();
        attribution.path("unresolvedReasons").fields()
                .forEachRemaining(e -> reasons.put(e.getKey(), e.getValue().asInt()));
        assertThat(reasons).isEqualTo(Map.of(UnresolvedReason.CALLEE_IN_ANOTHER_IMAGE.description(), calls));
    }

    /**
     * {@code match} on a TRACE_CMP dump of boot 1: the ips after the module's calls of the comparison hooks
     * (objdump of boot 1's twin) land on the module's comparison sites, placed by the dump's layout, instead of
     * being called another kernel's.
     */
    @Test
    void matchPlacesACmpDumpsModuleIps() throws Exception {
        Pattern call = Pattern.compile(
                "^\\s*([0-9a-f]+):\\s+call\\s+[0-9a-f]+ <__sanitizer_cov_trace_(const_)?cmp([1248])>");
        java.io.ByteArrayOutputStream records = new java.io.ByteArrayOutputStream();
        java.util.Set<Long> ips = new TreeSet<>();
        for (String line : Tools.check(dir, null, List.of("objdump", "-d", "--no-show-raw-insn",
                boot1.twin().toString())).split("\n")) {
            Matcher m = call.matcher(line);
            if (m.find()) {
                long ip = Long.parseUnsignedLong(m.group(1), 16) + 5;
                long type = (Integer.numberOfTrailingZeros(Integer.parseInt(m.group(3))) << 1)
                        | (m.group(2) != null ? 1 : 0);
                java.nio.ByteBuffer record = java.nio.ByteBuffer.allocate(32).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                records.writeBytes(record.putLong(type).putLong(1).putLong(2).putLong(ip).array());
                ips.add(ip);
            }
        }
        assertThat(ips).as("the module calls comparison hooks").hasSizeGreaterThan(3);
        java.nio.ByteBuffer count = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        Path dump = dir.resolve("cmp.kcov");
        Files.write(dump, count.putLong(ips.size()).array());
        Files.write(dump, records.toByteArray(), java.nio.file.StandardOpenOption.APPEND);
        Files.copy(boot1.layoutFile(), ModuleLayoutWriter.besideDump(dump));

        CliRunner.Result r = CliRunner.run("match", "--json", "--mode", "cmp", "--vmlinux", kernel.vmlinux().toString(),
                "--modules", kernel.modules().toString(), dump.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("warning");
        JsonNode o = JSON.readTree(r.out());
        assertThat(o.path("uniquePcs").asInt()).isEqualTo(ips.size());
        assertThat(o.path("matched").asInt()).isEqualTo(ips.size());
        assertThat(o.path("recordsUnresolved").asInt()).isZero();
    }

    @Test
    void runsFromTwoBootsComposeOnTheirPointsBySectionAndOffset() throws Exception {
        String[] inputs = {"--vmlinux", kernel.vmlinux().toString(), "--modules", kernel.modules().toString(),
            "A=" + dumpA, "B=" + dumpB};

        Set<String> all = rawcover(CliRunner.run(concat(new String[] {"report", "--format", "rawcover"}, inputs)));
        Set<String> expected = union(hitByA, hitByB);
        expected.add(kernelSite());
        assertThat(all).isEqualTo(expected);

        Set<String> both = rawcover(CliRunner.run(concat(new String[] {"report", "--format", "rawcover", "--expr", "A & B"},
                inputs)));
        Set<String> common = new TreeSet<>(hitByA);
        common.retainAll(hitByB);
        common.add(kernelSite());
        assertThat(both).isEqualTo(common);
        assertThat(common.size()).as("the runs share some points").isGreaterThan(1);

        Set<String> onlyB = rawcover(CliRunner.run(concat(new String[] {"report", "--format", "rawcover", "--expr", "B - A"},
                inputs)));
        Set<String> difference = new TreeSet<>(hitByB);
        difference.removeAll(hitByA);
        assertThat(onlyB).isEqualTo(difference).isNotEmpty();
    }

    @Test
    void perFileCoveredPointsEqualLlvmSymbolizersChainsOfTheHitPoints() throws Exception {
        CliRunner.Result r = CliRunner.run("report", "--vmlinux", kernel.vmlinux().toString(), "--modules",
                kernel.modules().toString(), "A=" + dumpA, "B=" + dumpB);
        assertThat(r.status()).as(r.err()).isZero();
        Map<String, Integer> expected = new java.util.TreeMap<>();
        for (String point : union(hitByA, hitByB)) {
            String out = Tools.check(dir, "0x" + Long.toHexString(boot1.addressOf(point)) + "\n", List.of(
                    "llvm-symbolizer", "--output-style=JSON", "--inlining", "-e", boot1.twin().toString()));
            Set<String> files = new TreeSet<>();
            for (JsonNode frame : JSON.readTree(out).path("Symbol")) {
                files.add(Path.of(frame.path("FileName").asText()).getFileName().toString());
            }
            files.forEach(f -> expected.merge(f, 1, Integer::sum));
        }
        Map<String, Integer> ours = new java.util.TreeMap<>();
        for (JsonNode file : JSON.readTree(r.out()).path("files")) {
            String name = Path.of(file.path("path").asText()).getFileName().toString();
            if (List.of("hub.c", "ports.c", "helpers.h").contains(name)) {
                ours.put(name, file.path("coveredPoints").asInt());
            }
        }
        assertThat(ours).isEqualTo(expected).containsKeys("hub.c", "ports.c", "helpers.h");
    }

    @Test
    void theSessionKeepsModulePcsBySectionAndOffsetAndOpensWithoutTheModuleFiles() throws Exception {
        Path session = dir.resolve("modular.kcovx");
        CliRunner.Result created = CliRunner.run("session", "create", "--vmlinux", kernel.vmlinux().toString(),
                "--modules", kernel.modules().toString(), "-o", session.toString(), "A=" + dumpA, "B=" + dumpB);
        assertThat(created.status()).as(created.err()).isZero();
        assertThat(created.out()).contains("1 modules");

        try (ZipFile zip = new ZipFile(session.toFile())) {
            JsonNode manifest = JSON.readTree(zip.getInputStream(zip.getEntry("manifest.json")));
            assertThat(manifest.path("formatVersion").asInt()).isEqualTo(4);
            JsonNode module = manifest.path("modules").get(0);
            assertThat(module.path("name").asText()).isEqualTo(ModularKernel.MODULE);
            Set<String> placed = new TreeSet<>();
            for (JsonNode s : module.path("sections")) {
                placed.add(s.path("name").asText() + " " + s.path("address").asText());
            }
            Set<String> boot1Text = boot1.layout().entrySet().stream()
                    .filter(e -> points.stream().anyMatch(p -> p.startsWith(e.getKey() + "+")))
                    .map(e -> e.getKey() + " 0x" + Long.toHexString(e.getValue())).collect(Collectors.toSet());
            assertThat(placed).as("the first boot's addresses for every code section with points").containsAll(boot1Text);
            assertThat(zip.getEntry("modules/0.bin")).isNotNull();
            assertThat(new String(zip.getInputStream(zip.getEntry("layouts/1.layout")).readAllBytes()))
                    .contains(ModularKernel.MODULE + " .text 0x" + Long.toHexString(boot2.layout().get(".text")));
        }

        Path moved = dir.resolve("modules-elsewhere");
        Files.move(kernel.modules(), moved);
        try {
            Set<String> fromSession = rawcover(CliRunner.run("report", "--format", "rawcover", "--session",
                    session.toString()));
            Set<String> expected = union(hitByA, hitByB);
            expected.add(kernelSite());
            assertThat(fromSession).isEqualTo(expected);
        } finally {
            Files.move(moved, kernel.modules());
        }
    }

    @Test
    void modulePcsWithoutALayoutOrWithoutModulesAreClearErrors() throws Exception {
        Path bare = Files.writeString(dir.resolve("bare.txt"), Files.readString(dumpA));
        CliRunner.Result noLayout = CliRunner.run("report", "--vmlinux", kernel.vmlinux().toString(), "--modules",
                kernel.modules().toString(), bare.toString());
        assertThat(noLayout.status()).isNotZero();
        assertThat(noLayout.err()).contains("run 'A' has " + hitByA.size() + " PCs in module space (the first 0x")
                .contains("outside the vmlinux, but no module layout: record with the agent (it writes DUMP.layout"
                        + " beside the dump) or pass --layout FILE").doesNotContain("Exception");

        CliRunner.Result withLayout = CliRunner.run("report", "--format", "rawcover", "--vmlinux",
                kernel.vmlinux().toString(), "--modules", kernel.modules().toString(), "--layout",
                boot1.layoutFile().toString(), bare.toString());
        assertThat(rawcover(withLayout)).containsAll(hitByA);

        CliRunner.Result noModules = CliRunner.run("report", "--vmlinux", kernel.vmlinux().toString(), dumpA.toString());
        assertThat(noModules.status()).isNotZero();
        assertThat(noModules.err()).contains("run 'A' has PCs in module " + ModularKernel.MODULE + ": pass --modules DIR")
                .doesNotContain("Exception");
    }

    /**
     * A KASLR boot: sysfs gave the real addresses (boot 1's moved up by the offset) and kcov recorded the
     * PCs less the offset (boot 1's). With the offset in the layout the module's points are where boot 1
     * has them; without it the same PCs lie in no section, and are left out with a warning, not misplaced.
     */
    @Test
    void aKaslrBootsLayoutHasItsOffsetSubtractedBeforeItsModulesArePlaced() throws Exception {
        long offset = 0x2e000000L;
        StringBuilder real = new StringBuilder();
        for (String line : Files.readString(boot1.layoutFile()).split("\n")) {
            String[] f = line.trim().split("\\s+");
            real.append(f.length == 3 && f[2].startsWith("0x")
                    ? f[0] + " " + f[1] + " 0x" + Long.toHexString(Long.parseUnsignedLong(f[2].substring(2), 16) + offset)
                    : line).append('\n');
        }
        Path kaslr = Files.writeString(dir.resolve("kaslr.txt"), Files.readString(dumpA));
        Files.writeString(ModuleLayoutWriter.besideDump(kaslr), real + "kaslr-offset 0x" + Long.toHexString(offset) + "\n");
        Set<String> expected = new TreeSet<>(hitByA);
        expected.add(kernelSite());

        CliRunner.Result placed = CliRunner.run("report", "--format", "rawcover", "--vmlinux", kernel.vmlinux().toString(),
                "--modules", kernel.modules().toString(), "K=" + kaslr);
        assertThat(rawcover(placed)).isEqualTo(expected);

        Path unaware = Files.writeString(dir.resolve("unaware.txt"), Files.readString(dumpA));
        Files.writeString(ModuleLayoutWriter.besideDump(unaware), real.toString());
        CliRunner.Result misread = CliRunner.run("report", "--format", "rawcover", "--vmlinux", kernel.vmlinux().toString(),
                "--modules", kernel.modules().toString(), "U=" + unaware);
        assertThat(rawcover(misread)).containsExactly(kernelSite());
        assertThat(misread.err()).contains(hitByA.size() + " PCs (the first 0x").contains("lie in module space but in no"
                + " module section the run's layout places: they are left out");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void pointsAndMatchTakeTheModulesOfALayout() throws Exception {
        CliRunner.Result points = CliRunner.run("points", "--vmlinux", kernel.vmlinux().toString(), "--modules",
                kernel.modules().toString(), "--layout", boot2.layoutFile().toString());
        assertThat(points.status()).as(points.err()).isZero();
        Set<Long> listed = new TreeSet<>();
        for (String line : points.out().split("\n")) {
            listed.add(Long.parseUnsignedLong(line.substring(2), 16));
        }
        Set<Long> expected = new TreeSet<>(boot2.callSites().keySet());
        expected.addAll(kernel.kernelCallSites());
        assertThat(listed).isEqualTo(expected);

        CliRunner.Result match = CliRunner.run("match", "--json", "--vmlinux", kernel.vmlinux().toString(), "--modules",
                kernel.modules().toString(), dumpB.toString());
        assertThat(match.status()).as(match.err()).isZero();
        JsonNode line = JSON.readTree(match.out().trim());
        assertThat(line.path("uniquePcs").asInt()).as("the kernel's own PCs").isEqualTo(1);
        assertThat(line.path("matched").asInt()).isEqualTo(1);
        JsonNode module = line.path("modules").get(0);
        assertThat(module.path("module").asText()).isEqualTo(ModularKernel.MODULE);
        assertThat(module.path("uniquePcs").asInt()).isEqualTo(hitByB.size());
        assertThat(module.path("matched").asInt()).isEqualTo(hitByB.size());
        assertThat(line.path("unplaced").asInt()).isZero();
    }
}
