package dev.kcovexplorer.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kcovexplorer.app.model.ModuleRuns;
import dev.kcovexplorer.app.model.PcKinds;
import dev.kcovexplorer.kcov.CoverageRun;
import dev.kcovexplorer.kcov.DumpOptions;
import dev.kcovexplorer.kcov.DumpReader;
import dev.kcovexplorer.kcov.DumpFormat;
import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.symbolizer.attribution.PcAttribution;
import dev.kcovexplorer.symbolizer.attribution.PcAttributor;
import dev.kcovexplorer.symbolizer.attribution.PcKind;
import dev.kcovexplorer.symbolizer.attribution.ReturnAddressInspector;
import dev.kcovexplorer.symbolizer.attribution.UnresolvedReason;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import dev.kcovexplorer.symbolizer.index.KernelIndexBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code match}: how each dump's PCs map onto the image's coverage points. */
@Command(name = "match", mixinStandardHelpOptions = true,
        description = {"For each kcov dump, tell whether its PCs are return addresses or call sites and how many land "
                + "on coverage points: matched, attributed through tail calls (exactly or to candidates), unresolved "
                + "(with the reason). Warns when the PCs do not belong to the vmlinux.",
            "A TRACE_CMP dump's ips are matched on the comparison sites instead, and its records counted too.",
            "PCs in loadable modules are matched per module, on its .ko (--modules) placed where the dump's layout"
                + " (--layout, or DUMP.layout beside it) says."})
public final class MatchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--vmlinux", paramLabel = "FILE", required = true, description = "Kernel image the dumps came from.")
    Path vmlinux;

    @Option(names = "--json", description = "One JSON object per dump instead of text.")
    boolean json;

    @Mixin
    DumpOptionsMixin dumpOptions;

    @Mixin
    ModuleOptions modules = new ModuleOptions();

    @Parameters(paramLabel = "DUMP", arity = "1..*", description = "kcov dumps (binary areas or PC lists, maybe gzipped).")
    List<Path> dumps;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DumpOptions options = dumpOptions.options();
        try (ElfFile elf = ElfFile.open(vmlinux)) {
            KernelIndex index = KernelIndexBuilder.pointsOnly(elf);
            ReturnAddressInspector inspector = ReturnAddressInspector.of(elf);
            ModuleRuns.KernelExtent extent = ModuleRuns.KernelExtent.of(elf);
            for (Path dump : dumps) {
                CoverageRun run = DumpReader.read(dump, options);
                for (String warning : run.warnings()) {
                    err.println("kcov-explorer: warning: " + dump + ": " + warning);
                }
                ModulePcs split = ModulePcs.split(dump, run.uniquePcs(), modules.layoutOf(dump, err), extent, modules);
                if (run.mode() == TraceMode.CMP) {
                    // A CMP area's ips are return addresses of the comparison hooks: they land on comparison sites,
                    // a module's on the module's (placed where the dump's layout says).
                    CmpMatch.print(dump, run, split.withModules(index), json, out, err);
                    continue;
                }
                PcAttribution a = PcAttributor.attribute(split.kernel(), index, inspector, forcedKind(options));
                Map<String, PcAttribution> perModule = split.attribute(
                        split.kernel().length > 0 ? a.pcKind() : forcedKind(options), index);
                if (json) {
                    ObjectNode o = toJson(dump, a);
                    if (!perModule.isEmpty() || split.unplaced() > 0) {
                        ArrayNode list = o.putArray("modules");
                        perModule.forEach((name, m) -> list.add(toJson(dump, m).put("module", name)));
                        o.put("unplaced", split.unplaced());
                    }
                    out.println(JSON.writeValueAsString(o));
                } else {
                    printText(out, dump, a);
                    perModule.forEach((name, m) -> {
                        out.printf(Locale.ROOT, "  module %s: %d unique PCs, %d matched, %d attributed exactly, %d to"
                                + " candidates, %d unresolved%n", name, m.uniquePcs(), m.matched(), m.attributedExact(),
                                m.attributedCandidates(), m.unresolved());
                        printReasons(out, m);
                    });
                    if (split.unplaced() > 0) {
                        out.printf(Locale.ROOT, "  in module space but no module of the layout: %d%n", split.unplaced());
                    }
                }
                if (a.foreign()) {
                    err.println("kcov-explorer: warning: " + dump + ": " + a.warning());
                }
                out.flush();
                err.flush();
            }
        }
        return 0;
    }

    /** The reading the user forced with --pc-kind or --format rawcover, or null to let the PCs decide. */
    private static PcKind forcedKind(DumpOptions options) {
        if (options.format() == DumpFormat.RAWCOVER) {
            return PcKind.CALL_SITE;
        }
        return options.pcKind() == null ? null : PcKinds.reading(options.pcKind());
    }

    private static ObjectNode toJson(Path dump, PcAttribution a) {
        ObjectNode o = JSON.createObjectNode();
        o.put("file", dump.toString());
        o.put("mode", "pc");
        o.put("pcKind", PcKinds.of(a.pcKind()).id());
        o.put("uniquePcs", a.uniquePcs());
        o.put("matched", a.matched());
        o.put("attributedExact", a.attributedExact());
        o.put("attributedCandidates", a.attributedCandidates());
        o.put("unresolved", a.unresolved());
        return o;
    }

    private static void printText(PrintWriter out, Path dump, PcAttribution a) {
        boolean returns = a.pcKind() == PcKind.RETURN_ADDRESS;
        out.printf(Locale.ROOT, "%s: %d unique PCs, read as %s (%.1f%% on points or tail calls; as %s %.1f%%)%n",
                dump, a.uniquePcs(), returns ? "return addresses" : "call sites",
                100 * (returns ? a.returnAddressRate() : a.callSiteRate()), returns ? "call sites" : "return addresses",
                100 * (returns ? a.callSiteRate() : a.returnAddressRate()));
        out.printf(Locale.ROOT, "  matched                   %9d%n", a.matched());
        out.printf(Locale.ROOT, "  attributed exactly        %9d  (return addresses of tail-called coverage)%n",
                a.attributedExact());
        out.printf(Locale.ROOT, "  attributed to candidates  %9d%n", a.attributedCandidates());
        out.printf(Locale.ROOT, "  unresolved                %9d%n", a.unresolved());
        printReasons(out, a);
    }

    private static void printReasons(PrintWriter out, PcAttribution a) {
        for (Map.Entry<UnresolvedReason, Integer> e : a.unresolvedByReason().entrySet()) {
            out.printf(Locale.ROOT, "    %9d  %s%n", e.getValue(), e.getKey().description());
        }
    }
}
