package dev.kcovexplorer.kcov;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The running kernel's KASLR offset: what kcov subtracts from every PC it records ({@code kaslr_offset()} in
 * {@code canonicalize_ip}, {@code kernel/kcov.c}), while {@code /sys/module/NAME/sections} give real
 * addresses. The kernel states it itself in its VMCOREINFO note ({@code KERNELOFFSET=1c000000},
 * {@code arch/x86/kernel/crash_core_64.c}), which {@code /proc/kcore} carries as an ELF note (root,
 * {@code CONFIG_PROC_KCORE}). Without kcore, {@code /proc/kallsyms}' {@code _text} less x86-64's link
 * address of {@code _text} with the default {@code CONFIG_PHYSICAL_START} (what distributions and defconfig
 * use) gives the same.
 */
public final class KaslrOffset {
    public static final Path KCORE = Path.of("/proc/kcore");
    public static final Path KALLSYMS = Path.of("/proc/kallsyms");
    /** {@code __START_KERNEL}: {@code __START_KERNEL_map} + {@code CONFIG_PHYSICAL_START} 0x1000000. */
    static final long DEFAULT_TEXT = 0xffffffff81000000L;
    private static final Pattern KERNELOFFSET = Pattern.compile("(?m)^KERNELOFFSET=([0-9a-fA-F]{1,16})$");
    private static final int PT_NOTE = 4;
    private static final int MAX_NOTES = 1 << 20;

    private KaslrOffset() {
    }

    /**
     * The offset from {@code kcore}'s VMCOREINFO note, else from {@code kallsyms}' {@code _text}.
     *
     * @throws IOException naming both files when neither tells it (no kcore, kallsyms hidden by kptr_restrict)
     */
    public static long read(Path kcore, Path kallsyms) throws IOException {
        String why;
        try {
            OptionalLong fromNote = fromKcore(kcore);
            if (fromNote.isPresent()) {
                return fromNote.getAsLong();
            }
            why = kcore + " has no VMCOREINFO note with KERNELOFFSET";
        } catch (IOException e) {
            why = "cannot read " + kcore + " (" + e.getMessage() + ")";
        }
        try (BufferedReader in = Files.newBufferedReader(kallsyms, StandardCharsets.US_ASCII)) {
            OptionalLong text = textOf(in);
            if (text.isPresent() && text.getAsLong() != 0) {
                return text.getAsLong() - DEFAULT_TEXT;
            }
            why += "; " + kallsyms + (text.isPresent() ? " hides addresses (kptr_restrict): read it as root"
                    : " has no _text");
        } catch (IOException e) {
            why += "; cannot read " + kallsyms + " (" + e.getMessage() + ")";
        }
        throw new IOException("cannot tell the kernel's KASLR offset, which kcov subtracts from every PC: " + why);
    }

    /** KERNELOFFSET of the VMCOREINFO note among the ELF notes of {@code kcore}, empty when it has none. */
    static OptionalLong fromKcore(Path kcore) throws IOException {
        try (FileChannel in = FileChannel.open(kcore)) {
            ByteBuffer header = readAt(in, 0, 64);
            if (header.getInt(0) != 0x464c457f || header.get(4) != 2 || header.get(5) != 1) {
                throw new IOException("not a 64-bit little-endian ELF core file");
            }
            long phoff = header.getLong(0x20);
            int phentsize = header.getShort(0x36) & 0xffff;
            int phnum = header.getShort(0x38) & 0xffff;
            for (int i = 0; i < phnum; i++) {
                ByteBuffer ph = readAt(in, phoff + (long) i * phentsize, 0x38);
                if (ph.getInt(0) == PT_NOTE) {
                    long size = ph.getLong(0x20);
                    if (size < 0 || size > MAX_NOTES) {
                        throw new IOException("a note segment of " + size + " bytes");
                    }
                    OptionalLong offset = fromNotes(readAt(in, ph.getLong(8), (int) size));
                    if (offset.isPresent()) {
                        return offset;
                    }
                }
            }
        }
        return OptionalLong.empty();
    }

    /** KERNELOFFSET of the VMCOREINFO note in a note segment, empty when it is not there. */
    static OptionalLong fromNotes(ByteBuffer notes) {
        notes.order(ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        while (at + 12 <= notes.limit()) {
            int nameSize = notes.getInt(at);
            int descSize = notes.getInt(at + 4);
            int name = at + 12;
            int desc = name + align4(nameSize);
            if (nameSize < 0 || descSize < 0 || desc + (long) descSize > notes.limit()) {
                break;
            }
            byte[] nameBytes = new byte[Math.max(0, nameSize - 1)];
            notes.get(name, nameBytes);
            if (new String(nameBytes, StandardCharsets.US_ASCII).equals("VMCOREINFO")) {
                byte[] text = new byte[descSize];
                notes.get(desc, text);
                return fromVmcoreinfo(new String(text, StandardCharsets.US_ASCII));
            }
            at = desc + align4(descSize);
        }
        return OptionalLong.empty();
    }

    /** KERNELOFFSET of a VMCOREINFO text ({@code KEY=VALUE} lines), empty when it has none. */
    static OptionalLong fromVmcoreinfo(String text) {
        Matcher m = KERNELOFFSET.matcher(text);
        return m.find() ? OptionalLong.of(Long.parseUnsignedLong(m.group(1), 16)) : OptionalLong.empty();
    }

    /** The address of {@code _text} in a kallsyms listing ({@code ffffffff81000000 T _text}), empty without one. */
    static OptionalLong textOf(BufferedReader kallsyms) throws IOException {
        String line;
        while ((line = kallsyms.readLine()) != null) {
            if (line.endsWith(" _text")) {
                String[] f = line.split(" ");
                if (f.length == 3) {
                    return OptionalLong.of(Long.parseUnsignedLong(f[0], 16));
                }
            }
        }
        return OptionalLong.empty();
    }

    private static int align4(int n) {
        return (n + 3) & ~3;
    }

    private static ByteBuffer readAt(FileChannel in, long position, int size) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (in.read(b, position + b.position()) < 0) {
                throw new IOException("ends at byte " + (position + b.position()) + ", " + size + " bytes from "
                        + position + " expected");
            }
        }
        return b.flip();
    }
}
