package dev.kcovexplorer.symbolizer.index;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files a writer killed mid-write leaves in a shared cache directory (a half-saved index, a half-recorded
 * class-data archive), told apart from a write under way in this or another process: a writer names its file
 * with its pid, so the file is abandoned once that process is gone; files of earlier versions, named without a
 * pid, once older than a write could take.
 *
 * @param glob        the names of all such files in the directory ({@code ".*.tmp"})
 * @param withPid     a whole name whose group 1 is the writer's pid
 * @param withoutPid  a whole name of an earlier version's file, without a pid
 * @param withoutPidAge how old such a file must be to be abandoned
 */
public record AbandonedFiles(String glob, Pattern withPid, Pattern withoutPid, Duration withoutPidAge) {

    /**
     * Removes the abandoned files in {@code directory}. Cleaning up is a courtesy: whatever fails here is left for
     * the next time, never the caller's failure.
     */
    public void removeFrom(Path directory) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, glob)) {
            for (Path file : files) {
                if (abandoned(file)) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // left for the next time
        }
    }

    /**
     * Whether the process {@code pid} (a writer's, as the name of what it writes holds it) has ended: what it was
     * writing is abandoned. For a writer's folder too (a download's), which {@link #removeFrom} does not remove.
     */
    public static boolean writerGone(String pid) {
        return !ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
    }

    private boolean abandoned(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        String name = file.getFileName().toString();
        Matcher ours = withPid.matcher(name);
        if (ours.matches()) {
            return writerGone(ours.group(1));
        }
        return withoutPid.matcher(name).matches()
                && Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant()
                        .isBefore(Instant.now().minus(withoutPidAge));
    }
}
