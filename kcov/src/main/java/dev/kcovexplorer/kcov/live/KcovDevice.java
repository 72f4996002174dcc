package dev.kcovexplorer.kcov.live;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.kcovexplorer.kcov.TraceMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * One open kcov fd: {@code open}, {@code KCOV_INIT_TRACE}, {@code mmap} of the area, local or remote
 * enable, draining the area while the kernel writes it, {@code KCOV_DISABLE}, {@code munmap} and
 * {@code close}. Every system call runs on the fd's own pinned thread (see {@link KcovThread});
 * {@link #onKcovThread} runs more work there, such as setting up a vhost device that must inherit the
 * common handle.
 *
 * <pre>
 *   try (KcovDevice kcov = KcovDevice.open()) {
 *       kcov.initTrace(1 << 20);
 *       kcov.remoteEnable(TraceMode.PC, new long[] {RemoteHandle.usb(1).encode()}, 0);
 *       ... kcov.drain() periodically ...
 *   }   // disables, unmaps and closes
 * </pre>
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
public final class KcovDevice implements AutoCloseable {
    public static final Path DEFAULT_PATH = Path.of("/sys/kernel/debug/kcov");

    private enum State { OPEN, INITIALIZED, ENABLED, CLOSED }

    private final Path path;
    private final KcovThread thread;
    private final int fd;
    private State state = State.OPEN;
    private Pointer mapping;
    private int areaWords;
    private volatile CoverageArea area;

    private KcovDevice(Path path, KcovThread thread, int fd) {
        this.path = path;
        this.thread = thread;
        this.fd = fd;
    }

    /** Opens {@code /sys/kernel/debug/kcov}. */
    public static KcovDevice open() throws IOException {
        return open(DEFAULT_PATH);
    }

    public static KcovDevice open(Path device) throws IOException {
        if (com.sun.jna.Native.LONG_SIZE != KcovIoctls.WORD_SIZE) {
            throw new KcovException("the kcov binding needs a 64-bit JVM on a 64-bit kernel", 0);
        }
        KcovThread thread = new KcovThread();
        try {
            int fd = call(thread, () -> {
                try {
                    return LibC.INSTANCE.open(device.toString(), LibC.O_RDWR | LibC.O_CLOEXEC);
                } catch (LastErrorException e) {
                    throw KcovException.openFailed(device, e.getErrorCode());
                }
            });
            return new KcovDevice(device, thread, fd);
        } catch (IOException | RuntimeException e) {
            thread.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** {@code KCOV_INIT_TRACE} with an area of {@code words} words, then maps the area shared read/write. */
    public synchronized void initTrace(int words) throws KcovException {
        requireState(State.OPEN, "initialize the area");
        if (words < 2 || words > CoverageArea.MAX_WORDS) {
            throw KcovException.initTraceFailed(words, Errno.EINVAL);
        }
        int wordsPerPage = LibC.INSTANCE.getpagesize() / KcovIoctls.WORD_SIZE;
        if (words % wordsPerPage != 0) {
            // kcov maps exactly the area, and a mapping is whole pages
            throw new KcovException("a kcov area of " + words + " words cannot be mapped: it must be a multiple of "
                    + wordsPerPage + " words (whole " + wordsPerPage * KcovIoctls.WORD_SIZE + "-byte pages)", Errno.EINVAL);
        }
        long bytes = (long) words * KcovIoctls.WORD_SIZE;
        mapping = call(thread, () -> {
            try {
                LibC.INSTANCE.ioctl(fd, KcovIoctls.KCOV_INIT_TRACE, words);
            } catch (LastErrorException e) {
                throw KcovException.initTraceFailed(words, e.getErrorCode());
            }
            try {
                return LibC.INSTANCE.mmap(null, bytes, LibC.PROT_READ | LibC.PROT_WRITE,
                        LibC.MAP_SHARED, fd, 0);
            } catch (LastErrorException e) {
                throw KcovException.mmapFailed(words, e.getErrorCode());
            }
        });
        areaWords = words;
        state = State.INITIALIZED;
    }

    /** {@code KCOV_ENABLE}: trace the fd's own thread (see {@link #onKcovThread}). */
    public synchronized void enable(TraceMode mode) throws KcovException {
        requireState(State.INITIALIZED, "enable tracing");
        call(thread, () -> {
            try {
                LibC.INSTANCE.ioctl(fd, KcovIoctls.KCOV_ENABLE, mode.kernelValue());
            } catch (LastErrorException e) {
                throw KcovException.enableFailed(mode, e.getErrorCode());
            }
            return null;
        });
        enabled(mode);
    }

    /** {@code KCOV_REMOTE_ENABLE} with per-section buffers as large as the area. */
    public void remoteEnable(TraceMode mode, long[] handles, long commonHandle) throws KcovException {
        remoteEnable(mode, areaWords, handles, commonHandle);
    }

    /**
     * {@code KCOV_REMOTE_ENABLE}: collect the coverage of kernel sections annotated with these handles
     * (USB bus handles, say) and of tasks carrying {@code commonHandle} (0 for none). The common handle
     * is stored on the fd's thread: work it spawns from {@link #onKcovThread} inherits it.
     *
     * @param remoteAreaWords the size of each section's temporary buffer, in words
     */
    public synchronized void remoteEnable(TraceMode mode, int remoteAreaWords, long[] handles, long commonHandle)
            throws KcovException {
        requireState(State.INITIALIZED, "enable remote tracing");
        ByteBuffer argument;
        try {
            argument = RemoteArg.encode(mode, remoteAreaWords, handles, commonHandle);
        } catch (IllegalArgumentException e) {
            throw new KcovException(e.getMessage(), Errno.EINVAL);
        }
        Memory nativeArgument = new Memory(argument.capacity());
        nativeArgument.write(0, argument.array(), 0, argument.capacity());
        call(thread, () -> {
            try {
                LibC.INSTANCE.ioctl(fd, KcovIoctls.KCOV_REMOTE_ENABLE, nativeArgument);
            } catch (LastErrorException e) {
                throw KcovException.remoteEnableFailed(mode, remoteAreaWords, handles, commonHandle,
                        e.getErrorCode());
            }
            return null;
        });
        enabled(mode);
    }

    private void enabled(TraceMode mode) {
        area = new CoverageArea(mapping.getByteBuffer(0, (long) areaWords * KcovIoctls.WORD_SIZE), mode);
        state = State.ENABLED;
    }

    /** Copies out what the kernel wrote since the last drain and resets the area (no lock on this fd). */
    public CoverageChunk drain() throws KcovException {
        CoverageArea current = area;
        if (current == null) {
            throw KcovException.wrongState("read coverage", "not enabled");
        }
        return current.drain();
    }

    /**
     * {@code KCOV_DISABLE}. The area stays mapped and keeps what was collected: drain it afterwards, and
     * {@link #enable} or {@link #remoteEnable} again if wanted.
     */
    public synchronized void disable() throws KcovException {
        requireState(State.ENABLED, "disable tracing");
        call(thread, () -> {
            try {
                LibC.INSTANCE.ioctl(fd, KcovIoctls.KCOV_DISABLE, 0);
            } catch (LastErrorException e) {
                throw KcovException.disableFailed(e.getErrorCode());
            }
            return null;
        });
        state = State.INITIALIZED;
    }

    /**
     * Runs {@code work} on the thread that issues this fd's ioctls. After {@link #remoteEnable} with a
     * common handle, kernel objects set up by this thread (a vhost device's owner, child processes)
     * inherit the handle, so their background work is collected.
     */
    public <T> T onKcovThread(Callable<T> work) throws Exception {
        return thread.call(work);
    }

    /** Disables tracing if enabled, unmaps the area and closes the fd; never throws for a closed device. */
    @Override
    public synchronized void close() throws KcovException {
        if (state == State.CLOSED) {
            return;
        }
        KcovException failure = null;
        try {
            if (state == State.ENABLED) {
                disable();
            }
        } catch (KcovException e) {
            failure = e;
        }
        CoverageArea current = area;
        if (current != null) {
            current.close();
        }
        area = null;
        state = State.CLOSED;
        Pointer unmap = mapping;
        long bytes = (long) areaWords * KcovIoctls.WORD_SIZE;
        try {
            call(thread, () -> {
                if (unmap != null) {
                    LibC.INSTANCE.munmap(unmap, bytes);
                }
                LibC.INSTANCE.close(fd);
                return null;
            });
        } catch (KcovException e) {
            failure = failure == null ? e : failure;
        } finally {
            thread.close();
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void requireState(State expected, String operation) throws KcovException {
        if (state == State.CLOSED) {
            throw KcovException.closed();
        }
        if (state != expected) {
            throw KcovException.wrongState(operation, switch (state) {
                case OPEN -> "not initialized (call initTrace first)";
                case INITIALIZED -> "not enabled";
                case ENABLED -> "already enabled";
                case CLOSED -> "closed";
            });
        }
    }

    /** Runs a system call on the pinned thread; failures other than {@link KcovException} are wrapped. */
    private static <T> T call(KcovThread thread, Callable<T> work) throws KcovException {
        try {
            return thread.call(work);
        } catch (KcovException e) {
            throw e;
        } catch (LastErrorException e) {
            throw new KcovException("kcov system call failed (" + Errno.name(e.getErrorCode()) + ")",
                    e.getErrorCode());
        } catch (Exception e) {
            throw new KcovException("kcov system call failed: " + e, 0);
        }
    }
}
