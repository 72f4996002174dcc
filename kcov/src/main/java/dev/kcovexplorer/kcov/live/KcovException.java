package dev.kcovexplorer.kcov.live;

import dev.kcovexplorer.kcov.TraceMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A kcov call that failed, with a message that says what to do about it rather than just an errno.
 */
public final class KcovException extends IOException {
    private static final long serialVersionUID = 1L;
    private static final Path DEBUGFS = Path.of("/sys/kernel/debug");

    private final int errno;

    KcovException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** The errno the kernel returned, or 0 when the failure was detected before any system call. */
    public int errno() {
        return errno;
    }

    static KcovException openFailed(Path device, int errno) {
        String message = switch (errno) {
            case Errno.ENOENT -> missingDevice(device);
            case Errno.EACCES, Errno.EPERM -> "permission denied opening " + device
                    + ": kcov lives in debugfs, which only root can use by default";
            default -> "cannot open " + device + " (" + Errno.name(errno) + ")";
        };
        return new KcovException(message, errno);
    }

    private static String missingDevice(Path device) {
        if (device.startsWith(DEBUGFS) && !debugfsMounted()) {
            return "debugfs is not mounted, so " + device + " does not exist: run "
                    + "'mount -t debugfs none /sys/kernel/debug' as root";
        }
        if (device.startsWith(DEBUGFS)) {
            return "this kernel has no kcov: " + device + " is missing (it needs CONFIG_KCOV=y)";
        }
        return "no kcov device at " + device;
    }

    private static boolean debugfsMounted() {
        try {
            return Files.readAllLines(Path.of("/proc/mounts")).stream()
                    .map(line -> line.split(" "))
                    .anyMatch(fields -> fields.length > 2 && fields[1].equals(DEBUGFS.toString())
                            && fields[2].equals("debugfs"));
        } catch (IOException e) {
            // Without /proc the best sign of a mounted debugfs is a non-empty mount point.
            try (var entries = Files.list(DEBUGFS)) {
                return entries.findAny().isPresent();
            } catch (IOException unreadable) {
                return false;
            }
        }
    }

    static KcovException initTraceFailed(long areaWords, int errno) {
        String message = switch (errno) {
            case Errno.EINVAL -> "kcov rejected an area of " + areaWords + " words: it accepts 2 to "
                    + CoverageArea.MAX_WORDS + " words";
            case Errno.ENOMEM -> areaTooLarge(areaWords);
            case Errno.EBUSY -> "this kcov fd already has an area";
            default -> "KCOV_INIT_TRACE failed (" + Errno.name(errno) + ")";
        };
        return new KcovException(message, errno);
    }

    static KcovException mmapFailed(long areaWords, int errno) {
        String message = errno == Errno.ENOMEM ? areaTooLarge(areaWords)
                : "cannot map the kcov area of " + areaWords + " words (" + Errno.name(errno) + ")";
        return new KcovException(message, errno);
    }

    private static String areaTooLarge(long areaWords) {
        return "the kcov area of " + areaWords + " words (" + (areaWords * KcovIoctls.WORD_SIZE >> 20)
                + " MiB) is too large: the kernel could not allocate it; choose a smaller area";
    }

    static KcovException enableFailed(TraceMode mode, int errno) {
        String message = switch (errno) {
            case Errno.EBUSY -> "kcov is already enabled on this fd or on this thread";
            case Errno.EINVAL -> "kcov refused to enable " + mode.id() + " tracing (area not initialized?)";
            case Errno.ENOTSUPP, Errno.EOPNOTSUPP -> comparisonsMissing();
            default -> "KCOV_ENABLE failed (" + Errno.name(errno) + ")";
        };
        return new KcovException(message, errno);
    }

    static KcovException remoteEnableFailed(TraceMode mode, long areaWords, long[] handles, long common,
            int errno) {
        String handleList = describeHandles(handles, common);
        String message = switch (errno) {
            case Errno.EEXIST -> "a remote handle in " + handleList + " is already held by another kcov fd "
                    + "(each handle can be collected by one fd at a time: is another agent or syzkaller running?)";
            case Errno.EINVAL -> "kcov rejected the remote handles " + handleList
                    + " or the remote area size " + areaWords + ": a handle needs subsystem 0x00 (common) or "
                    + "0x01 (USB) in its top byte, zero bytes 4-6, a non-zero instance, and each handle once";
            case Errno.ENOMEM -> areaTooLarge(areaWords);
            case Errno.EBUSY -> "kcov is already enabled on this fd or on this thread";
            case Errno.ENOTTY -> "this kernel's kcov has no remote coverage (KCOV_REMOTE_ENABLE needs Linux 5.5 or later)";
            case Errno.ENOTSUPP, Errno.EOPNOTSUPP -> comparisonsMissing();
            default -> "KCOV_REMOTE_ENABLE with " + handleList + " in " + mode.id() + " mode failed ("
                    + Errno.name(errno) + ")";
        };
        return new KcovException(message, errno);
    }

    private static String comparisonsMissing() {
        return "this kernel cannot trace comparisons: it was built without CONFIG_KCOV_ENABLE_COMPARISONS (use pc mode)";
    }

    static KcovException disableFailed(int errno) {
        String message = errno == Errno.EINVAL
                ? "KCOV_DISABLE refused: kcov was not enabled by this fd's thread"
                : "KCOV_DISABLE failed (" + Errno.name(errno) + ")";
        return new KcovException(message, errno);
    }

    static KcovException closed() {
        return new KcovException("the kcov device is closed", 0);
    }

    static KcovException wrongState(String operation, String state) {
        return new KcovException("cannot " + operation + ": the kcov device is " + state, 0);
    }

    static String describeHandles(long[] handles, long common) {
        String list = Arrays.stream(handles).mapToObj(h -> String.format("0x%016x", h))
                .collect(Collectors.joining(", ", "[", "]"));
        return common == 0 ? list : list + " + common 0x" + Long.toHexString(common);
    }
}
