package dev.kcovexplorer.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code --version}: the Maven project's version, filtered into {@code version.properties} at build time,
 * so the program, the packages and their file names never disagree.
 */
public final class ProjectVersion implements IVersionProvider {
    private static final String RESOURCE = "version.properties";

    /** The version string, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String get() {
        try (InputStream in = ProjectVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the build");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"kcov-explorer " + get()};
    }
}
