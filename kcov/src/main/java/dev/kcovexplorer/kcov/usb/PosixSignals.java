package dev.kcovexplorer.kcov.usb;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * Wakes a thread blocked in a system call: raw-gadget's event fetch and endpoint-0 transfers wait until the
 * host acts, interruptibly, and a device the host gave up on never acts again. A real-time signal (one the JVM
 * does not use) is installed without {@code SA_RESTART}, so a blocked call it reaches returns {@code EINTR};
 * its handler is libc's {@code getpid}, a function that takes the signal number as an ignored argument, does
 * nothing a signal handler may not, and returns. Sent to one thread with {@code pthread_kill}.
 */
final class PosixSignals {
    /** glibc's {@code struct sigaction} on x86-64 and arm64: handler, 128-byte mask, flags, restorer. */
    static final int SIGACTION_SIZE = 152;
    /** Where sa_flags is; left 0: no SA_RESTART, so an interrupted call returns EINTR. */
    static final int SA_FLAGS_OFFSET = 136;

    interface Calls extends Library {
        Calls INSTANCE = Native.load("c", Calls.class);

        int sigaction(int signal, Pointer action, Pointer old) throws LastErrorException;

        long pthread_self();

        int pthread_kill(long thread, int signal);

        int __libc_current_sigrtmin();
    }

    private static volatile int installed;

    private PosixSignals() {
    }

    /** The signal that interrupts, installed on first use; SIGRTMIN + 10. */
    static synchronized int interruptSignal() {
        if (installed == 0) {
            int signal = Calls.INSTANCE.__libc_current_sigrtmin() + 10;
            Memory action = new Memory(SIGACTION_SIZE);
            action.clear();
            action.setPointer(0, NativeLibrary.getInstance("c").getFunction("getpid"));
            Calls.INSTANCE.sigaction(signal, action, null);
            installed = signal;
        }
        return installed;
    }

    /** The calling thread's pthread id, for {@link #interrupt}. */
    static long currentThread() {
        return Calls.INSTANCE.pthread_self();
    }

    /** Makes a blocking call of {@code thread} return EINTR (or, before it blocks, nothing at all). */
    static void interrupt(long thread) {
        Calls.INSTANCE.pthread_kill(thread, interruptSignal());
    }
}
