package dev.kcovexplorer.app.model.source;

import java.util.Objects;

/**
 * The Debian binary package that carries a kernel's sources, e.g. {@code linux-source-6.1} version
 * {@code 6.1.192-2}: its .deb holds {@code /usr/src/NAME.tar.xz}, a tarball whose top directory is {@code NAME/}.
 */
public record SourcePackage(String name, String version) {
    public SourcePackage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        if (!name.matches("[a-z0-9][a-z0-9+.-]+")) {
            throw new IllegalArgumentException("not a Debian package name: " + name);
        }
        if (!version.matches("[A-Za-z0-9.+~:-]+")) {
            throw new IllegalArgumentException("not a Debian version: " + version);
        }
    }

    /** Where the source tarball sits inside the package's file system tree. */
    public String tarballPath() {
        return "usr/src/" + name + ".tar.xz";
    }

    @Override
    public String toString() {
        return name + " " + version;
    }
}
