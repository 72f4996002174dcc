package dev.kcovexplorer.symbolizer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for a kernel module built here: {@code module/hub.c} and {@code module/ports.c} compiled
 * with gcc's kcov instrumentation and the kernel's code model ({@code -mcmodel=kernel}) and joined by {@code ld -r --build-id}, as a {@code .ko} is; and the
 * oracle's twin, the same object statically linked by {@code ld} with every allocated section at the
 * address a layout gives (a linker script) and each undefined symbol at an address of its own.
 */
public final class ModuleFixture {
    private static final String[] SOURCES = {"hub.c", "ports.c", "helpers.h"};
    private static final Pattern SECTION = Pattern.compile("^\\s*\\[\\s*(\\d+)]\\s+(\\S+)\\s+(.*)$");

    /** One section header as {@code readelf -SW} lists it. */
    public record Section(int index, String name, String type, long size, String flags, long alignment) {
        boolean isAllocated() {
            return flags.contains("A");
        }

        public boolean isExecutable() {
            return flags.contains("X");
        }
    }

    private final Path object;
    private final List<Section> sections;

    private ModuleFixture(Path object, List<Section> sections) {
        this.object = object;
        this.sections = sections;
    }

    /** Compiles and joins the fixture in {@code dir} with {@code cflags} added to the instrumented build. */
    public static ModuleFixture build(Path dir, List<String> cflags) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        for (String s : SOURCES) {
            try (InputStream in = ModuleFixture.class.getResourceAsStream("module/" + s)) {
                Files.copy(in, dir.resolve(s));
            }
        }
        List<String> objects = new ArrayList<>();
        for (String source : List.of("hub", "ports")) {
            List<String> cmd = new ArrayList<>(List.of("gcc", "-c", "-O2", "-fsanitize-coverage=trace-pc,trace-cmp",
                    "-fno-pic", "-mcmodel=kernel", "-o", source + ".o"));
            cmd.addAll(cflags);
            cmd.add(source + ".c");
            NativeTools.run(dir, cmd);
            objects.add(source + ".o");
        }
        List<String> join = new ArrayList<>(List.of("ld", "-r", "--build-id=sha1", "-o", "fixture.ko"));
        join.addAll(objects);
        NativeTools.run(dir, join);
        Path ko = dir.resolve("fixture.ko");
        return new ModuleFixture(ko, readSections(ko));
    }

    /** An object built elsewhere (a kernel build's {@code .o} or a {@code .ko}), copied into {@code dir} first. */
    public static ModuleFixture of(Path object, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path copy = Files.copy(object, dir.resolve(object.getFileName()));
        return new ModuleFixture(copy, readSections(copy));
    }

    private static List<Section> readSections(Path elf) throws IOException, InterruptedException {
        List<Section> out = new ArrayList<>();
        for (String line : NativeTools.run(elf.getParent(), List.of("readelf", "-SW", elf.toString())).split("\n")) {
            Matcher m = SECTION.matcher(line);
            if (!m.matches() || m.group(1).equals("0")) {
                continue;
            }
            // type address offset size entsize [flags] link info align: the flags column may be empty.
            String[] f = m.group(3).trim().split("\\s+");
            if (f.length < 8 || f[0].equals("Type")) {
                continue;
            }
            String flags = f.length == 9 ? f[5] : "";
            out.add(new Section(Integer.parseInt(m.group(1)), m.group(2), f[0], Long.parseLong(f[3], 16), flags,
                    Long.parseLong(f[f.length - 1])));
        }
        return out;
    }

    public Path object() {
        return object;
    }

    public List<Section> sections() {
        return sections;
    }

    /**
     * A layout as {@code /sys/module/NAME/sections} would give it: every allocated section with bytes,
     * here in reverse file order (so the layout is no copy of the file's order), each on a page of its
     * own from {@code base} and at an odd 64-byte offset into it.
     */
    public Map<String, Long> layout(long base) {
        Map<String, Long> out = new LinkedHashMap<>();
        List<Section> allocated = sections.stream().filter(s -> s.isAllocated() && s.size() > 0).toList();
        for (int k = 0; k < allocated.size(); k++) {
            Section s = allocated.get(allocated.size() - 1 - k);
            out.put(s.name(), base + k * 0x2000L + 0x40L * (2 * k + 1));
        }
        return out;
    }

    /**
     * Its executable sections only, each on a megabyte of its own from {@code base}: for objects whose
     * other sections have names a linker script cannot spell ({@code ___ksymtab+kill_pid}); the linker
     * puts those after the code, where the layout leaves room.
     */
    public Map<String, Long> textLayout(long base) {
        Map<String, Long> out = new LinkedHashMap<>();
        List<Section> code = sections.stream().filter(s -> s.isExecutable() && s.size() > 0).toList();
        for (int k = 0; k < code.size(); k++) {
            out.put(code.get(code.size() - 1 - k).name(), base + k * 0x100000L + 0x40L * (2 * k + 1));
        }
        return out;
    }

    /**
     * Links the object into {@code name} with every section of {@code layout} where it says, and the
     * undefined symbols ({@code nm -u}) at 16-byte stubs from {@code stubs}.
     */
    public Path link(String name, Map<String, Long> layout, long stubs) throws IOException, InterruptedException {
        Path dir = object.getParent();
        StringBuilder script = new StringBuilder("SECTIONS {\n");
        layout.forEach((section, address) -> script.append("  ").append(section).append(" 0x")
                .append(Long.toHexString(address)).append(" : { *(").append(section).append(") }\n"));
        script.append("}\n");
        Path ld = dir.resolve(name + ".ld");
        Files.writeString(ld, script);
        List<String> cmd = new ArrayList<>(List.of("ld", "-o", name, "-T", ld.toString(), "-e", "0"));
        long next = stubs;
        for (String line : NativeTools.run(dir, List.of("nm", "-u", object.toString())).split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 2 && parts[0].equals("U")) {
                cmd.add("--defsym=" + parts[1] + "=0x" + Long.toHexString(next));
                next += 16;
            }
        }
        cmd.add(object.toString());
        NativeTools.run(dir, cmd);
        return dir.resolve(name);
    }
}
