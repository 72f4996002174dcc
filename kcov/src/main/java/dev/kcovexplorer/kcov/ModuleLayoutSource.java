package dev.kcovexplorer.kcov;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a recording's module layout comes from: the running kernel's sysfs, or a file recorded earlier. */
@FunctionalInterface
public interface ModuleLayoutSource {
    /** A kernel whose layout is not known: no module is placed. */
    ModuleLayoutSource NONE = () -> ModuleLayout.NONE;

    /** The layout now; an exception's message says why it cannot be read (not root, no sysfs). */
    ModuleLayout read() throws IOException;

    /** The modules of the running kernel, with its KASLR offset ({@link KaslrOffset}). */
    static ModuleLayoutSource running() {
        return sysfs(ModuleSysfs.DEFAULT_ROOT, KaslrOffset.KCORE, KaslrOffset.KALLSYMS);
    }

    /** The modules loaded in a kernel without KASLR whose sysfs module directory is {@code root}. */
    static ModuleLayoutSource sysfs(Path root) {
        return () -> ModuleSysfs.read(root);
    }

    /**
     * The modules loaded in the kernel whose sysfs module directory is {@code root}, with the KASLR offset
     * {@code kcore} or {@code kallsyms} tell; a kernel that loaded no module needs none.
     */
    static ModuleLayoutSource sysfs(Path root, Path kcore, Path kallsyms) {
        return () -> {
            ModuleLayout layout = ModuleSysfs.read(root);
            return layout.isEmpty() ? layout : layout.withKaslrOffset(KaslrOffset.read(kcore, kallsyms));
        };
    }

    /** The layout recorded beside a dump ({@link ModuleLayoutWriter#besideDump}), none when there is no such file. */
    static ModuleLayoutSource besideDump(Path dump) {
        Path file = ModuleLayoutWriter.besideDump(dump);
        return () -> Files.exists(file) ? ModuleLayoutReader.read(file) : ModuleLayout.NONE;
    }
}
