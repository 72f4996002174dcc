package dev.kcovexplorer.app.model;

import dev.kcovexplorer.app.model.modules.ModuleFiles;
import dev.kcovexplorer.app.model.modules.ModuleFinder;
import dev.kcovexplorer.app.model.modules.SessionModules;
import dev.kcovexplorer.symbolizer.attribution.ReturnAddressInspector;
import dev.kcovexplorer.symbolizer.elf.ElfFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * While runs are added to a session that explains unresolved PCs from the vmlinux's code: its modules'
 * {@code .ko} files placed where the session has them join that inspector, so that a module PC is explained
 * from the module's code (an indirect call, a call into the kernel) instead of being called outside the
 * vmlinux's. Closing puts the session's own inspector back and closes the files.
 */
final class ModuleInspectors implements AutoCloseable {
    private final Session session;
    private final ReturnAddressInspector own;
    private final List<ElfFile> opened;

    private ModuleInspectors(Session session, ReturnAddressInspector own, List<ElfFile> opened) {
        this.session = session;
        this.own = own;
        this.opened = opened;
    }

    /** Joins the files {@code finder} has of {@code session}'s modules (none without a finder or an inspector). */
    static ModuleInspectors open(Session session, ModuleFinder finder, ModuleFiles files) throws IOException {
        ReturnAddressInspector own = session.inspector();
        List<ElfFile> opened = new ArrayList<>();
        if (own == null || finder == null) {
            return new ModuleInspectors(session, own, opened);
        }
        List<ReturnAddressInspector> modules = new ArrayList<>();
        try {
            for (SessionModules.Module module : session.modules().modules()) {
                Optional<Path> file = finder.find(module.name());
                if (file.isEmpty()) {
                    continue;
                }
                Map<String, Long> addresses = new LinkedHashMap<>();
                module.sections().forEach(s -> addresses.put(s.name(), s.address()));
                ElfFile placed = ElfFile.openPlaced(files.elf(file.get()), addresses);
                opened.add(placed);
                modules.add(ReturnAddressInspector.of(placed));
            }
        } catch (IOException | RuntimeException e) {
            new ModuleInspectors(session, own, opened).close();
            throw e;
        }
        session.setInspector(own.with(modules));
        return new ModuleInspectors(session, own, opened);
    }

    @Override
    public void close() throws IOException {
        session.setInspector(own);
        IOException failed = null;
        for (ElfFile elf : opened) {
            try {
                elf.close();
            } catch (IOException e) {
                failed = e;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}
