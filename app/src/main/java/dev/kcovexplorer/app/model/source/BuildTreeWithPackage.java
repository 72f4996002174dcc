package dev.kcovexplorer.app.model.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The build's own tree on this machine, with the Debian source package the session names for the files the tree
 * does not hold. A build folder that exists but lacks the sources (cleaned, an output-only folder, the same path on
 * another machine) said "not under DIR" for every file while the package had them. Files the tree holds come from
 * it, as before; the others from the package, and their banner says where they came from.
 */
public final class BuildTreeWithPackage implements KernelSources {
    /**
     * One file in this many is looked for in the tree before the package is prepared: a tree without the sources
     * lacks them all, and looking for each of a kernel's ~3,500 files took 10-16 ms of the window's start (60-120 ms
     * through {@link SourceRoot}). A file missing between them still comes from the package, prepared when it is read.
     */
    private static final int SAMPLE = 32;

    private final Path root;
    private final DirectorySources tree;
    private final SourceProvider pkg;
    /** The files the tree lacked when last read: true when the package had them. */
    private final Map<String, Boolean> notInTree = new ConcurrentHashMap<>();
    private final Object preparing = new Object();
    private volatile boolean packagePrepared;

    public BuildTreeWithPackage(Path root, DirectorySources tree, SourceProvider pkg) {
        this.root = root;
        this.tree = tree;
        this.pkg = pkg;
    }

    @Override
    public void prepare(Consumer<SourceProgress> progress, BooleanSupplier cancelled) throws IOException {
        if (treeLacksFiles()) {
            preparePackage(progress, cancelled);
        }
    }

    @Override
    public void unpackRest(Consumer<SourceProgress> progress, BooleanSupplier cancelled) throws IOException {
        if (packagePrepared) {
            pkg.unpackRest(progress, cancelled);
        }
    }

    private boolean treeLacksFiles() {
        List<String> paths = List.copyOf(pkg.manifest().sha256ByPath().keySet());
        for (int i = 0; i < paths.size(); i += SAMPLE) {
            if (!Files.isRegularFile(root.resolve(paths.get(i)))) {
                return true;
            }
        }
        return false;
    }

    private void preparePackage(Consumer<SourceProgress> progress, BooleanSupplier cancelled) throws IOException {
        synchronized (preparing) {
            if (!packagePrepared) {
                pkg.prepare(progress, cancelled);
                packagePrepared = true;
            }
        }
    }

    @Override
    public Optional<String> text(String path, BooleanSupplier cancelled) throws IOException {
        Optional<String> own = tree.text(path, cancelled);
        if (own.isPresent()) {
            notInTree.remove(path);
            return own;
        }
        preparePackage(step -> { }, cancelled);
        Optional<String> packaged = pkg.text(path, cancelled);
        notInTree.put(path, packaged.isPresent());
        return packaged;
    }

    @Override
    public String banner(String path) {
        Boolean inPackage = notInTree.get(path);
        if (inPackage == null) {
            return tree.banner(path);
        }
        String packageSays = pkg.banner(path);
        if (inPackage) {
            SourcePackage wanted = pkg.manifest().sourcePackage();
            return path + " is not under " + root + ": shown from the Debian package " + wanted.name() + " "
                    + pkg.version().orElse(wanted.version()) + "." + (packageSays == null ? "" : " " + packageSays);
        }
        // In neither: why the tree does not have it, and why the package does not either.
        return tree.banner(path) + (packageSays == null ? "" : " " + packageSays);
    }

    @Override
    public void forgetCopies() throws IOException {
        synchronized (preparing) {
            pkg.forgetCopies();
            packagePrepared = false;
        }
    }
}
