package dev.kcovexplorer.symbolizer.dwarf;

import dev.kcovexplorer.symbolizer.Frame;
import dev.kcovexplorer.symbolizer.NativeTools;
import dev.kcovexplorer.symbolizer.Oracles;
import dev.kcovexplorer.symbolizer.Symbolizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In the demo kernel GCC opens five functions' .cold parts (xt_state.c's state_mt_check, ip_tables.c's
 * ipt_error, …) with the coverage call before the part's first line-table row, so no row covers that
 * point. The symbol table only knows the basename ({@code STT_FILE "xt_state.c"}), and such points sat at
 * the root of the project tree with no directory. The function's DW_AT_decl_file knows the full path.
 */
class ColdPartWithoutLineRowTest {
    private static final Pattern FIRST_COLD_LOC = Pattern.compile(
            "(check\\.cold:\\n)((?:[^\\n]*\\n)*?)(\\t\\.loc [^\\n]*\\n)((?:[^\\n]*\\n)*?)(\\tcall\\t__sanitizer_cov_trace_pc[^\\n]*\\n)");

    @Test
    void aPointBeforeTheColdPartsFirstRowIsInTheFunctionsFile(@TempDir Path dir) throws Exception {
        NativeTools.assume("gcc");
        NativeTools.assume("llvm-symbolizer");
        Path sub = Files.createDirectories(dir.resolve("net/netfilter"));
        for (String source : List.of("cold_part.c", "cold_part_main.c")) {
            try (InputStream in = getClass().getResourceAsStream(source)) {
                Files.copy(in, sub.resolve(source));
            }
        }
        // The kernel's shape, made from GCC's own output: the .cold part's first .loc moved after the
        // coverage call, as GCC 12 emits it for the kernel's ratelimited printks.
        NativeTools.run(dir, List.of("gcc", "-O2", "-gdwarf-5", "-fsanitize-coverage=trace-pc", "-S",
                "net/netfilter/cold_part.c", "-o", "cold_part.s"));
        String assembly = Files.readString(dir.resolve("cold_part.s"));
        Matcher m = FIRST_COLD_LOC.matcher(assembly);
        assertThat(m.find()).as("GCC put check's error path in check.cold, opened by the coverage call").isTrue();
        Files.writeString(dir.resolve("cold_part.s"), assembly.substring(0, m.start()) + m.group(1) + m.group(2)
                + m.group(4) + m.group(5) + m.group(3) + assembly.substring(m.end()));
        Path elf = NativeTools.compile(dir, "gcc", "cold_part", List.of("-O2"), "cold_part.s",
                "net/netfilter/cold_part_main.c");

        long coldStart = symbolAddress(elf, "check.cold");
        long afterCall = coldStart + 5;
        List<List<Frame>> oracle = Oracles.llvmSymbolizer(elf, new long[] {coldStart, afterCall});
        assertThat(oracle.get(0).get(0).line()).as("llvm-symbolizer finds no row for the coverage call").isZero();
        String functionFile = oracle.get(1).get(0).file();
        assertThat(functionFile).endsWith("/net/netfilter/cold_part.c");

        try (Symbolizer s = Symbolizer.open(elf)) {
            Frame frame = s.symbolize(new long[] {coldStart}).get(0).get(0);
            assertThat(frame.function()).isEqualTo("check");
            assertThat(frame.file()).isEqualTo(functionFile);
            assertThat(frame.line()).isZero();
        }
    }

    private static long symbolAddress(Path elf, String name) throws Exception {
        for (String line : NativeTools.run(elf.getParent(), List.of("nm", elf.toString())).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[2].equals(name)) {
                return Long.parseUnsignedLong(f[0], 16);
            }
        }
        throw new AssertionError(name + " not in the symbol table of " + elf);
    }
}
