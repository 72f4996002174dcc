package dev.kcovexplorer.kcov.live;

/**
 * The ioctl requests of {@code <linux/kcov.h>} for a 64-bit kernel, computed with {@link Ioctl}.
 * {@code KCOV_REMOTE_ENABLE}'s size is {@code sizeof(struct kcov_remote_arg)}, which does not count the
 * flexible {@code handles[]} array.
 */
public final class KcovIoctls {
    /** {@code sizeof(unsigned long)} on the 64-bit kernels this binding supports. */
    public static final int WORD_SIZE = 8;

    /** {@code _IOR('c', 1, unsigned long)}: allocate the area, argument = its size in words. */
    public static final long KCOV_INIT_TRACE = Ioctl.ior('c', 1, WORD_SIZE);
    /** {@code _IO('c', 100)}: collect for the calling task, argument = trace mode. */
    public static final long KCOV_ENABLE = Ioctl.io('c', 100);
    /** {@code _IO('c', 101)}: stop collecting; must come from the task that enabled. */
    public static final long KCOV_DISABLE = Ioctl.io('c', 101);
    /** {@code _IOW('c', 102, struct kcov_remote_arg)}. */
    public static final long KCOV_REMOTE_ENABLE = Ioctl.iow('c', 102, RemoteArg.HEADER_SIZE);

    private KcovIoctls() {
    }
}
