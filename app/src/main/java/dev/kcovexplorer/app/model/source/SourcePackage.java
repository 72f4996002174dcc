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

    /** The kernel's own version in a Debian version: {@code 6.1.192} of {@code 6.1.192-2} (epoch and revision dropped). */
    public static String upstreamVersion(String debianVersion) {
        String noEpoch = debianVersion.substring(debianVersion.indexOf(':') + 1);
        int revision = noEpoch.lastIndexOf('-');
        return revision < 0 ? noEpoch : noEpoch.substring(0, revision);
    }

    @Override
    public String toString() {
        return name + " " + version;
    }
}
