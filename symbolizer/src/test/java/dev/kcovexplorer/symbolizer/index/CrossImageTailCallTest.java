package dev.kcovexplorer.symbolizer.index;

import dev.kcovexplorer.symbolizer.ModuleFixture;
import dev.kcovexplorer.symbolizer.NativeTools;
import dev.kcovexplorer.symbolizer.attribution.Outcome;
import dev.kcovexplorer.symbolizer.attribution.PcAttribution;
import dev.kcovexplorer.symbolizer.attribution.PcAttributor;
import dev.kcovexplorer.symbolizer.attribution.PcKind;
import dev.kcovexplorer.symbolizer.attribution.ReturnAddressInspector;
import dev.kcovexplorer.symbolizer.attribution.UnresolvedReason;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A module calls a kernel function that tail-calls the PC callback (GCC before 14 ends {@code kernel_put}
 * with {@code jmp __sanitizer_cov_trace_pc}): kcov records the return address in the module, the tail-call
 * site is in the kernel, and neither image's own tail table can attribute it. So does a call of the module's
 * own {@code mod_release}, which tail-jumps to {@code kernel_put}, and a call of {@code mod_release} from a
 * second module. Built here by gcc and ld (the kernel linked at the kernel's address, the modules
 * relocatable objects placed at layouts); where the calls and the tail-call site are comes from objdump,
 * which function holds the site from llvm-symbolizer.
 */
class CrossImageTailCallTest {
    private static final long KERNEL_TEXT = 0xffffffff81000000L;
    private static final long MODULE_BASE = 0xffffffffc0a10000L;
    private static final String CALLBACK = "void __sanitizer_cov_trace_pc(void) { }\n";
    /** What {@code EXPORT_SYMBOL} leaves in an object: a {@code __ksymtab_NAME} symbol in a section of its own. */
    private static final String EXPORT_SYMBOL = "#define EXPORT_SYMBOL(sym) static const void *const __ksymtab_##sym "
            + "__attribute__((section(\"___ksymtab+\" #sym), used)) = &sym\n";
    /** Exports kernel_put; shared_put is a global it does not export. */
    private static final String KERNEL = EXPORT_SYMBOL + """
            int kernel_state;
            void kernel_put(int *p)
            {
            	if (*p > 1)
            		kernel_state += *p;
            }
            EXPORT_SYMBOL(kernel_put);
            void shared_put(int *p)
            {
            	if (*p > 2)
            		kernel_state -= *p;
            }
            """;
    /** A module exporting a function named like the kernel's non-exported global. */
    private static final String OWNER = EXPORT_SYMBOL + """
            int owner_state;
            void shared_put(int *p)
            {
            	if (*p > 3)
            		owner_state ^= *p;
            }
            EXPORT_SYMBOL(shared_put);
            """;
    private static final String SHARED_CALLER = """
            extern void shared_put(int *p);
            int caller_work(int *p)
            {
            	shared_put(p);
            	return *p;
            }
            """;
    private static final long OWNER_BASE = 0xffffffffc0d00000L;
    private static final long SECOND_OWNER_BASE = 0xffffffffc0e00000L;
    private static final long CALLER_BASE = 0xffffffffc0f00000L;
    private static final String MODULE = """
            extern void kernel_put(int *p);
            int mod_counter;
            __attribute__((noinline)) void mod_release(int *p)
            {
            	mod_counter++;
            	kernel_put(p);
            }
            int mod_work(int *p)
            {
            	kernel_put(p);
            	mod_release(p);
            	return *p + mod_counter;
            }
            """;
    private static final String USER = """
            extern void mod_release(int *p);
            int user_work(int *p)
            {
            	mod_release(p);
            	return *p;
            }
            """;
    private static final long USER_BASE = 0xffffffffc0b40000L;
    /** Built with retpolines, as the kernel builds modules: indirect branches go through external thunks. */
    private static final String OPS = """
            struct ops { void (*stop)(int *p); };
            extern void kernel_quiet(int *p);
            __attribute__((noinline)) void ops_stop(struct ops *o, int *p)
            {
            	o->stop(p);
            }
            int ops_work(struct ops *o, int *p)
            {
            	o->stop(p);
            	ops_stop(o, p);
            	kernel_quiet(p);
            	return *p;
            }
            """;
    private static final long OPS_BASE = 0xffffffffc0c80000L;
    private static final List<String> CFLAGS = List.of("gcc", "-c", "-O2", "-g", "-fno-pic", "-mcmodel=kernel");
    private static final Pattern INSTRUCTION = Pattern.compile("^\\s*([0-9a-f]+):\\s+(?:[0-9a-f]{2} )+\\s*(\\S+)\\s+(.*)$");
    private static final Pattern RELOCATION = Pattern.compile("^\\s*([0-9a-f]+): R_X86_64_(?:PLT|PC)32\\s+(\\S+)-0x4$");

    @TempDir
    static Path dir;
    static Path vmlinux;
    static KernelIndex kernel;
    static KernelIndex module;
    static KernelIndex user;
    /** Where the modules' .text was placed. */
    static long moduleText;
    static long userText;
    /** Two placements of the module exporting shared_put, and the module calling it. */
    static Placed owner;
    static Placed secondOwner;
    static Placed caller;

    @BeforeAll
    static void build() throws Exception {
        for (String tool : List.of("gcc", "ld", "objdump", "llvm-symbolizer")) {
            NativeTools.assume(tool);
        }
        Files.writeString(dir.resolve("callback.c"), CALLBACK);
        Files.writeString(dir.resolve("kernel.c"), KERNEL);
        Files.writeString(dir.resolve("mod.c"), MODULE);
        Files.writeString(dir.resolve("user.c"), USER);
        NativeTools.run(dir, concat(CFLAGS, "callback.c"));
        NativeTools.run(dir, concat(CFLAGS, "-fsanitize-coverage=trace-pc", "kernel.c"));
        NativeTools.run(dir, concat(CFLAGS, "-fsanitize-coverage=trace-pc", "mod.c"));
        NativeTools.run(dir, List.of("ld", "-o", "vmlinux", "-e", "0", "-Ttext=0x" + Long.toHexString(KERNEL_TEXT),
                "callback.o", "kernel.o"));
        NativeTools.run(dir, concat(CFLAGS, "-fsanitize-coverage=trace-pc", "user.c"));
        NativeTools.run(dir, List.of("ld", "-r", "--build-id=sha1", "-o", "mod.ko", "mod.o"));
        NativeTools.run(dir, List.of("ld", "-r", "--build-id=sha1", "-o", "user.ko", "user.o"));
        vmlinux = dir.resolve("vmlinux");
        kernel = new KernelIndexBuilder().build(vmlinux, BuildMonitor.SILENT);
        ModuleFixture ko = ModuleFixture.of(dir.resolve("mod.ko"), dir.resolve("placed"));
        Map<String, Long> layout = ko.layout(MODULE_BASE);
        moduleText = layout.get(".text");
        try (ElfFile placed = ElfFile.openPlaced(ko.object(), layout)) {
            module = new KernelIndexBuilder().build(placed, BuildMonitor.SILENT);
        }
        ModuleFixture userKo = ModuleFixture.of(dir.resolve("user.ko"), dir.resolve("placed"));
        Map<String, Long> userLayout = userKo.layout(USER_BASE);
        userText = userLayout.get(".text");
        try (ElfFile placed = ElfFile.openPlaced(userKo.object(), userLayout)) {
            user = new KernelIndexBuilder().build(placed, BuildMonitor.SILENT);
        }
        owner = placedModule("owner", OWNER, OWNER_BASE);
        secondOwner = placedModule("owner", OWNER, SECOND_OWNER_BASE);
        caller = placedModule("caller", SHARED_CALLER, CALLER_BASE);
    }

    @Test
    void theModulesReturnAddressesAreAttributedToTheKernelsTailCall() throws Exception {
        long tailSite = kernelTailSite();
        List<Long> returns = returnsAfterCallsOf("mod.ko", moduleText, "kernel_put");
        returns.addAll(returnsAfterCallsOf("mod.ko", moduleText, "mod_release"));
        assertThat(returns).as("mod_work calls kernel_put and mod_release").hasSize(2);
        returns.addAll(returnsAfterCallsOf("user.ko", userText, "mod_release"));
        assertThat(returns).as("user_work calls mod_release").hasSize(3);

        for (List<KernelIndex> parts : List.of(List.of(module, user), List.of(reread(user), reread(module)))) {
            KernelIndex merged = KernelIndexMerger.merge(kernel, parts);
            PcAttribution a = PcAttributor.attribute(returns.stream().mapToLong(Long::longValue).sorted().toArray(), merged,
                    null, PcKind.RETURN_ADDRESS);
            for (int i = 0; i < a.uniquePcs(); i++) {
                assertThat(a.outcome(i)).as("0x%x", a.pc(i)).isEqualTo(Outcome.ATTRIBUTED_EXACT);
                int point = a.points(i)[0];
                assertThat(merged.pointAddress(point)).as("0x%x", a.pc(i)).isEqualTo(tailSite);
                List<dev.kcovexplorer.symbolizer.Frame> chain = merged.frames(point);
                assertThat(chain.get(chain.size() - 1).function()).isEqualTo(symbolizedFunction(tailSite));
            }
        }
    }

    @Test
    void withoutTheKernelTheyStayUnresolved() throws Exception {
        long[] returns = returnsAfterCallsOf("mod.ko", moduleText, "kernel_put").stream().mapToLong(Long::longValue)
                .sorted().toArray();
        PcAttribution a = PcAttributor.attribute(returns, module, null, PcKind.RETURN_ADDRESS);
        assertThat(a.unresolved()).isEqualTo(returns.length);
    }

    /**
     * What stays unresolved in a module is explained from its own code, where calls of other images' functions
     * land on import stubs: a call of a retpoline thunk is an indirect call, a call of a function that tail-jumps
     * through one a call of a function that tail-jumps through a pointer, a call of a function of no image at
     * hand a call into another image (all three were "a direct call of a function that never tail-calls").
     */
    @Test
    void unresolvedModulePcsAreExplainedFromTheModulesCode() throws Exception {
        Files.writeString(dir.resolve("ops.c"), OPS);
        NativeTools.run(dir, concat(CFLAGS, "-fsanitize-coverage=trace-pc", "-mindirect-branch=thunk-extern", "ops.c"));
        NativeTools.run(dir, List.of("ld", "-r", "--build-id=sha1", "-o", "ops.ko", "ops.o"));
        ModuleFixture ko = ModuleFixture.of(dir.resolve("ops.ko"), dir.resolve("placed"));
        Map<String, Long> layout = ko.layout(OPS_BASE);
        long text = layout.get(".text");
        List<Long> indirect = returnsAfterCallsOf("ops.ko", text, "__x86_indirect_thunk_rax");
        List<Long> throughJumper = returnsAfterCallsOf("ops.ko", text, "ops_stop");
        List<Long> elsewhere = returnsAfterCallsOf("ops.ko", text, "kernel_quiet");
        assertThat(List.of(indirect, throughJumper, elsewhere)).allSatisfy(l -> assertThat(l).hasSize(1));

        try (ElfFile placed = ElfFile.openPlaced(ko.object(), layout)) {
            KernelIndex merged = KernelIndexMerger.merge(kernel, List.of(KernelIndexBuilder.pointsOnly(placed)));
            try (ElfFile kernelElf = ElfFile.open(vmlinux)) {
                ReturnAddressInspector inspector = ReturnAddressInspector.of(kernelElf)
                        .with(List.of(ReturnAddressInspector.of(placed)));
                long[] pcs = {indirect.get(0), throughJumper.get(0), elsewhere.get(0)};
                PcAttribution a = PcAttributor.attribute(pcs, merged, inspector, PcKind.RETURN_ADDRESS);
                Map<Long, UnresolvedReason> reasons = new java.util.HashMap<>();
                for (int i = 0; i < a.uniquePcs(); i++) {
                    assertThat(a.outcome(i)).isEqualTo(Outcome.UNRESOLVED);
                    reasons.put(a.pc(i), a.reason(i));
                }
                assertThat(reasons).isEqualTo(Map.of(indirect.get(0), UnresolvedReason.INDIRECT_CALL,
                        throughJumper.get(0), UnresolvedReason.CALLEE_TAIL_JUMPS_INDIRECTLY,
                        elsewhere.get(0), UnresolvedReason.CALLEE_IN_ANOTHER_IMAGE));
            }
        }
    }

    /**
     * A module calls {@code shared_put}, which the kernel defines as a global it does not export and another
     * module exports: the kernel links the call to the export, so the return address belongs to that module's
     * tail call, not to the kernel's function of the same name.
     */
    @Test
    void aCallIsAttributedToTheExportNotToAGlobalOfTheSameName() throws Exception {
        long ownerSite = owner.text + tailSitesInModule("owner.ko", "shared_put").get(0);
        List<Long> returns = returnsAfterCallsOf("caller.ko", caller.text, "shared_put");
        assertThat(returns).as("caller_work calls shared_put").hasSize(1);

        for (List<KernelIndex> parts : List.of(List.of(caller.index, owner.index), List.of(owner.index, caller.index))) {
            KernelIndex merged = KernelIndexMerger.merge(kernel, parts);
            PcAttribution a = PcAttributor.attribute(new long[] {returns.get(0)}, merged, null, PcKind.RETURN_ADDRESS);
            assertThat(a.outcome(0)).isEqualTo(Outcome.ATTRIBUTED_EXACT);
            assertThat(a.points(0)).hasSize(1);
            assertThat(merged.pointAddress(a.points(0)[0])).as("the owner module's tail call of the callback")
                    .isEqualTo(ownerSite);
            List<dev.kcovexplorer.symbolizer.Frame> chain = merged.frames(a.points(0)[0]);
            assertThat(chain.get(chain.size() - 1).file()).endsWith("owner.c");
        }
    }

    /**
     * Two modules that both export {@code shared_put} (the kernel would refuse the second): which one a caller
     * linked to cannot be told, so its return address stays unresolved instead of painting either.
     */
    @Test
    void aNameTwoImagesExportAttributesNothing() throws Exception {
        long[] returns = {returnsAfterCallsOf("caller.ko", caller.text, "shared_put").get(0)};

        KernelIndex merged = KernelIndexMerger.merge(kernel, List.of(owner.index, secondOwner.index, caller.index));
        PcAttribution a = PcAttributor.attribute(returns, merged, null, PcKind.RETURN_ADDRESS);
        assertThat(a.outcome(0)).isEqualTo(Outcome.UNRESOLVED);
    }

    /** A module compiled from {@code source}, placed at a layout from {@code base}: its index and where .text went. */
    private record Placed(KernelIndex index, long text) {
    }

    private static Placed placedModule(String name, String source, long base) throws Exception {
        Path ko = dir.resolve(name + ".ko");
        if (!Files.exists(ko)) {
            Files.writeString(dir.resolve(name + ".c"), source);
            NativeTools.run(dir, concat(CFLAGS, "-fsanitize-coverage=trace-pc", name + ".c"));
            NativeTools.run(dir, List.of("ld", "-r", "--build-id=sha1", "-o", name + ".ko", name + ".o"));
        }
        ModuleFixture fixture = ModuleFixture.of(ko, dir.resolve("placed-" + name + "-" + Long.toHexString(base)));
        Map<String, Long> layout = fixture.layout(base);
        try (ElfFile placed = ElfFile.openPlaced(fixture.object(), layout)) {
            return new Placed(new KernelIndexBuilder().build(placed, BuildMonitor.SILENT), layout.get(".text"));
        }
    }

    /** Offsets in .text of a module's {@code jmp __sanitizer_cov_trace_pc} inside {@code function}, by objdump -dr. */
    private static List<Long> tailSitesInModule(String ko, String function) throws Exception {
        List<Long> sites = new ArrayList<>();
        String[] lines = NativeTools.run(dir, List.of("objdump", "-dr", "-j", ".text",
                dir.resolve(ko).toString())).split("\n");
        boolean inFunction = false;
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].matches("^[0-9a-f]+ <.*>:$")) {
                inFunction = lines[i].endsWith("<" + function + ">:");
            }
            Matcher jump = INSTRUCTION.matcher(lines[i]);
            Matcher relocation = RELOCATION.matcher(lines[i + 1]);
            if (inFunction && jump.matches() && jump.group(2).equals("jmp") && relocation.matches()
                    && relocation.group(2).equals("__sanitizer_cov_trace_pc")) {
                sites.add(Long.parseLong(jump.group(1), 16));
            }
        }
        assertThat(sites).as("gcc tail-calls the callback in %s's %s", ko, function).hasSize(1);
        return sites;
    }

    /** The address of {@code jmp __sanitizer_cov_trace_pc} in the kernel's {@code kernel_put}, by objdump. */
    private static long kernelTailSite() throws Exception {
        List<Long> sites = new ArrayList<>();
        boolean inKernelPut = false;
        for (String line : NativeTools.run(dir, List.of("objdump", "-d", vmlinux.toString())).split("\n")) {
            if (line.matches("^[0-9a-f]+ <.*>:$")) {
                inKernelPut = line.endsWith("<kernel_put>:");
            }
            Matcher m = INSTRUCTION.matcher(line);
            if (inKernelPut && m.matches() && m.group(2).equals("jmp")
                    && m.group(3).endsWith("<__sanitizer_cov_trace_pc>")) {
                sites.add(Long.parseUnsignedLong(m.group(1), 16));
            }
        }
        assertThat(sites).as("gcc tail-calls the callback in kernel_put").hasSize(1);
        return sites.get(0);
    }

    /** The index as a session file or the cache gives it back. */
    private static KernelIndex reread(KernelIndex index) {
        return KernelIndexCodec.read(KernelIndexCodec.encode(index));
    }

    /**
     * Return addresses, with {@code .text} at {@code text}, of a module's calls of {@code callee}: objdump shows
     * the operand relocated against it, or the call resolved to it.
     */
    private static List<Long> returnsAfterCallsOf(String ko, long text, String callee) throws Exception {
        List<Long> returns = new ArrayList<>();
        String[] lines = NativeTools.run(dir, List.of("objdump", "-dr", "-j", ".text",
                dir.resolve(ko).toString())).split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            Matcher call = INSTRUCTION.matcher(lines[i]);
            Matcher relocation = RELOCATION.matcher(lines[i + 1]);
            if (call.matches() && call.group(2).equals("call") && relocation.matches()
                    && relocation.group(2).equals(callee)) {
                returns.add(text + Long.parseLong(call.group(1), 16) + 5);
            } else if (call.matches() && call.group(2).equals("call") && call.group(3).endsWith("<" + callee + ">")) {
                returns.add(text + Long.parseLong(call.group(1), 16) + 5);
            }
        }
        return returns;
    }

    /** The function llvm-symbolizer names at {@code address} of the kernel. */
    private static String symbolizedFunction(long address) throws Exception {
        String out = NativeTools.run(dir, List.of("llvm-symbolizer", "--obj=" + vmlinux, "--no-inlines",
                "0x" + Long.toHexString(address)));
        return out.split("\n")[0].trim();
    }

    private static List<String> concat(List<String> flags, String... more) {
        List<String> all = new ArrayList<>(flags);
        all.addAll(List.of(more));
        return all;
    }
}
