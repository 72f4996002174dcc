package dev.kcovexplorer.kcov.live;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * The few libc calls the kcov binding needs, through JNA. Every call throws {@link LastErrorException}
 * carrying {@code errno} when it fails. Public so that work run on a kcov thread (for example the vhost
 * set-up of the sample-data capture: {@code open("/dev/vhost-net")}, {@code VHOST_SET_OWNER}) can issue
 * its own ioctls from that thread.
 */
public interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int O_RDWR = 0x2;
    int O_CLOEXEC = 0x80000;
    int PROT_READ = 0x1;
    int PROT_WRITE = 0x2;
    int MAP_SHARED = 0x1;

    int open(String path, int flags) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int ioctl(int fd, NativeLong request, NativeLong argument) throws LastErrorException;

    int ioctl(int fd, NativeLong request, Pointer argument) throws LastErrorException;

    Pointer mmap(Pointer address, NativeLong length, int protection, int flags, int fd, NativeLong offset)
            throws LastErrorException;

    int munmap(Pointer address, NativeLong length) throws LastErrorException;

    int getpagesize();
}
