package dev.kcovexplorer.symbolizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The reference symbolizers of the tests: llvm-symbolizer, GNU addr2line and objdump, run in batch. */
public final class Oracles {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INSTRUCTION = Pattern.compile("^\\s*([0-9a-f]+):\\t");
    private static final Pattern ADDR2LINE_ADDRESS = Pattern.compile("^0x[0-9a-f]+$");

    private Oracles() {
    }

    /** Every instruction address {@code objdump -d} lists in the executable sections of {@code elf}. */
    public static long[] instructionAddresses(Path elf) throws IOException, InterruptedException {
        return instructionAddresses(elf, "objdump");
    }

    /** The same with another architecture's objdump ("aarch64-linux-gnu-objdump"). */
    public static long[] instructionAddresses(Path elf, String objdump) throws IOException, InterruptedException {
        String out = NativeTools.run(elf.getParent(), List.of(objdump, "-d", "--no-show-raw-insn", elf.toString()));
        List<Long> addresses = new ArrayList<>();
        for (String line : out.split("\n")) {
            Matcher m = INSTRUCTION.matcher(line);
            if (m.find()) {
                addresses.add(Long.parseUnsignedLong(m.group(1), 16));
            }
        }
        return addresses.stream().mapToLong(Long::longValue).toArray();
    }

    /** llvm-symbolizer's inline chains (innermost first, names as in the binary), one process for all addresses. */
    public static List<List<Frame>> llvmSymbolizer(Path elf, long[] addresses) throws IOException, InterruptedException {
        String out = NativeTools.run(elf.getParent(),
                List.of("llvm-symbolizer", "--output-style=JSON", "--inlining", "--no-demangle", "-e", elf.toString()), hexLines(addresses));
        List<List<Frame>> result = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node = JSON.readTree(line);
            List<Frame> frames = new ArrayList<>();
            for (JsonNode s : node.path("Symbol")) {
                String function = s.path("FunctionName").asText();
                String file = s.path("FileName").asText();
                frames.add(new Frame(function.isEmpty() ? Symbolizer.UNKNOWN : function, null,
                        file.isEmpty() ? Symbolizer.UNKNOWN : file, s.path("Line").asInt(), s.path("Column").asInt()));
            }
            result.add(frames);
        }
        if (result.size() != addresses.length) {
            throw new IOException("llvm-symbolizer answered " + result.size() + " of " + addresses.length + " addresses");
        }
        return result;
    }

    /** GNU addr2line's inline chains (innermost first); columns are unknown (0). */
    public static List<List<Frame>> addr2line(Path elf, long[] addresses) throws IOException, InterruptedException {
        String out = NativeTools.run(elf.getParent(), List.of("addr2line", "-f", "-i", "-a", "-e", elf.toString()),
                hexLines(addresses));
        List<List<Frame>> result = new ArrayList<>();
        String[] lines = out.split("\n");
        List<Frame> current = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (ADDR2LINE_ADDRESS.matcher(line).matches()) {
                current = new ArrayList<>();
                result.add(current);
                continue;
            }
            String function = line;
            String location = lines[++i];
            int paren = location.indexOf(" (discriminator");
            if (paren >= 0) {
                location = location.substring(0, paren);
            }
            int colon = location.lastIndexOf(':');
            String file = location.substring(0, colon);
            String lineText = location.substring(colon + 1);
            int lineNumber = lineText.equals("?") ? 0 : Integer.parseInt(lineText);
            current.add(new Frame(function, null, file, lineNumber, 0));
        }
        if (result.size() != addresses.length) {
            throw new IOException("addr2line answered " + result.size() + " of " + addresses.length + " addresses");
        }
        return result;
    }

    private static String hexLines(long[] addresses) {
        StringBuilder b = new StringBuilder(addresses.length * 12);
        for (long a : addresses) {
            b.append("0x").append(Long.toHexString(a)).append('\n');
        }
        return b.toString();
    }
}
