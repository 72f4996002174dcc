package dev.kcovexplorer.app.ui;

import static dev.kcovexplorer.app.ui.ShownStages.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.app.model.Coverage;
import dev.kcovexplorer.app.model.ModuleRuns;
import dev.kcovexplorer.app.model.RunInput;
import dev.kcovexplorer.app.model.RunsWithModules;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.fixture.ModularKernel;
import dev.kcovexplorer.app.model.fixture.Tools;
import dev.kcovexplorer.app.model.modules.ModuleFiles;
import dev.kcovexplorer.app.model.modules.ModuleFinder;
import dev.kcovexplorer.app.model.session.SessionFile;
import dev.kcovexplorer.app.model.source.DirectorySources;
import dev.kcovexplorer.app.ui.editor.EditorView;
import dev.kcovexplorer.app.ui.editor.LineMark;
import dev.kcovexplorer.app.ui.functions.FunctionRow;
import dev.kcovexplorer.app.ui.tree.ProjectNode;
import dev.kcovexplorer.kcov.ModuleLayoutReader;
import dev.kcovexplorer.kcov.PcKind;
import dev.kcovexplorer.symbolizer.elf.ElfFile;
import dev.kcovexplorer.symbolizer.index.BuildMonitor;
import dev.kcovexplorer.symbolizer.index.KernelIndexBuilder;
import dev.kcovexplorer.symbolizer.index.KernelIndexCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TreeItem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real window on Monocle over a session of a modular kernel, saved and opened again: the gcc-built
 * fixture module's runs from two boots, which loaded it at different addresses. Its files are in the
 * project tree like the kernel's, the Functions table says which image each function is in (checked
 * against nm of the module and of vmlinux) and filters by it, and the module's source is painted with
 * the model's line states.
 */
class ModularWindowTest {
    @TempDir
    static Path dir;
    static ModularKernel kernel;
    static Path sessionFile;

    @TempDir
    Path config;

    private WindowHarness window;

    @BeforeAll
    static void buildSession() throws Exception {
        ModularKernel.requireTools();
        kernel = ModularKernel.build(dir.resolve("build"));
        List<RunsWithModules.Recorded> runs = new ArrayList<>();
        long kernelPc = kernel.kernelReturnAddress();
        for (ModularKernel.Boot boot : List.of(kernel.boot("boot1", 0xffffffffc0a10000L, true),
                kernel.boot("boot2", 0xffffffffc0c40000L, false))) {
            List<Long> sites = new ArrayList<>(boot.callSites().keySet());
            long[] pcs = java.util.stream.LongStream.concat(java.util.stream.LongStream.of(kernelPc),
                    java.util.stream.IntStream.range(0, sites.size()).filter(i -> i % (runs.size() + 2) == 0)
                            .mapToLong(i -> sites.get(i) + 5)).sorted().toArray();
            runs.add(new RunsWithModules.Recorded(RunInput.ofPcs("boot" + (runs.size() + 1), pcs, PcKind.RETURN_ADDRESS),
                    ModuleLayoutReader.read(boot.layoutFile()), boot.layoutFile().toString()));
        }
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Session session;
        try (ElfFile vmlinux = ElfFile.open(kernel.vmlinux())) {
            session = RunsWithModules.add(Session.create(new KernelIndexBuilder().build(vmlinux, BuildMonitor.SILENT)),
                    ModuleRuns.KernelExtent.of(vmlinux), runs, new RunsWithModules.ModuleSources(
                            ModuleFinder.scan(kernel.modules()), new ModuleFiles(cache),
                            new KernelIndexCache(cache, new KernelIndexBuilder()), BuildMonitor.SILENT),
                    warning -> { }).session();
        }
        sessionFile = dir.resolve("modular.kcovx");
        SessionFile.write(session, sessionFile);
    }

    @AfterEach
    void closeWindow() throws Exception {
        if (window != null) {
            window.close();
        }
    }

    /** Function names nm lists as defined in {@code elf}'s code. */
    private static Set<String> functionsOf(Path elf) throws Exception {
        Set<String> names = new TreeSet<>();
        for (String line : Tools.check(dir, null, List.of("nm", "--defined-only", elf.toString())).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && (f[1].equals("T") || f[1].equals("t"))) {
                names.add(f[2].replaceAll("\\..*", ""));
            }
        }
        return names;
    }

    @Test
    void moduleFilesAndFunctionsAreShownWithTheirImage() throws Exception {
        Session session = SessionFile.read(sessionFile);
        assertThat(session.modules().modules()).extracting(m -> m.name()).containsExactly(ModularKernel.MODULE);
        window = WindowHarness.open(config, 1400, 900);
        window.show(session, new DirectorySources(kernel.vmlinux().getParent(), Map.of()), "modular");

        Coverage union = session.coverage(session.runs());
        for (String path : List.of("hub.c", "ports.c", "helpers.h", "work.c")) {
            TreeItem<ProjectNode> file = onFx(() -> findTreeItem(window.view.projectView().tree().getRoot(), path));
            assertThat(file).as(path + " in the project tree").isNotNull();
            int id = union.layout().findFile(path);
            assertThat(file.getValue().coveredLines()).as(path).isEqualTo(union.file(id).coveredLines());
            assertThat(file.getValue().coverableLines()).as(path).isEqualTo(union.file(id).lines());
        }
        assertThat(union.file(union.layout().findFile("hub.c")).coveredLines()).as("the module ran").isPositive();

        TableColumn<FunctionRow, ?> moduleColumn = onFx(() -> window.view.functionsView().table().getColumns().stream()
                .filter(c -> c.getText().equals("Module")).findFirst().orElseThrow());
        assertThat(onFx(moduleColumn::isVisible)).as("the Module column of a session with modules").isTrue();
        Set<String> inModule = functionsOf(kernel.ko());
        Set<String> inKernel = functionsOf(kernel.vmlinux());
        List<FunctionRow> rows = onFx(() -> List.copyOf(window.model.functions().all()));
        int moduleRows = 0;
        for (FunctionRow row : rows) {
            if (inModule.contains(row.name()) && !inKernel.contains(row.name())) {
                assertThat(row.module()).as(row.name()).isEqualTo(ModularKernel.MODULE);
                moduleRows++;
            } else if (inKernel.contains(row.name()) && !inModule.contains(row.name())) {
                assertThat(row.module()).as(row.name()).isEqualTo("vmlinux");
            }
        }
        assertThat(moduleRows).as("module functions in the table").isGreaterThan(3);
        FunctionRow kernelWork = onFx(() -> window.model.functions().find("kernel_work"));
        assertThat(kernelWork.module()).isEqualTo("vmlinux");
        FunctionRow portEvent = onFx(() -> window.model.functions().find("port_event"));
        int portEventId = union.layout().findFunction("port_event", "hub.c");
        assertThat(portEvent.module()).isEqualTo(ModularKernel.MODULE);
        assertThat(portEvent.coveredPoints()).isEqualTo(union.function(portEventId).coveredPoints());

        onFx(() -> {
            window.view.functionsView().filterField().setText(ModularKernel.MODULE);
            return null;
        });
        window.awaitIdle();
        List<FunctionRow> filtered = onFx(() -> List.copyOf(window.view.functionsView().table().getItems()));
        assertThat(filtered).isNotEmpty().allMatch(r -> r.module().contains(ModularKernel.MODULE));
        assertThat(filtered).hasSize((int) rows.stream().filter(r -> r.module().contains(ModularKernel.MODULE)).count());

        onFx(() -> window.model.editors().open("hub.c"));
        window.awaitIdle();
        EditorView editor = onFx(window.view::selectedEditorView);
        assertThat(editor.model().path()).isEqualTo("hub.c");
        Map<Integer, LineMark> expected = PaintedLines.expected(union, null, "hub.c");
        assertThat(PaintedLines.of(editor)).isEqualTo(expected);
        assertThat(expected.values()).contains(LineMark.COVERED);
    }

    @Test
    void aSessionWithoutModulesHasNoModuleColumn() throws Exception {
        Session session;
        try (ElfFile vmlinux = ElfFile.open(kernel.vmlinux())) {
            session = Session.create(new KernelIndexBuilder().build(vmlinux, BuildMonitor.SILENT));
        }
        session.addRun(RunInput.ofPcs("kernel", new long[] {kernel.kernelReturnAddress()}, PcKind.RETURN_ADDRESS));
        window = WindowHarness.open(config, 1200, 800);
        Session shown = session;
        window.show(shown, new DirectorySources(kernel.vmlinux().getParent(), Map.of()), "kernel");
        assertThat(onFx(() -> window.model.functions().find("kernel_work"))).isNotNull();
        TableColumn<FunctionRow, ?> moduleColumn = onFx(() -> window.view.functionsView().table().getColumns().stream()
                .filter(c -> c.getText().equals("Module")).findFirst().orElseThrow());
        assertThat(onFx(moduleColumn::isVisible)).isFalse();
    }

    private static TreeItem<ProjectNode> findTreeItem(TreeItem<ProjectNode> item, String path) {
        if (item == null) {
            return null;
        }
        if (item.getValue().file() && item.getValue().path().equals(path)) {
            return item;
        }
        for (TreeItem<ProjectNode> child : new ArrayList<>(item.getChildren())) {
            TreeItem<ProjectNode> found = findTreeItem(child, path);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
