package dev.kcovexplorer.kcov.live;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The libc calls of the kcov binding and the vhost-net exerciser, through JNA; one binding so both load
 * libc once and call it alike. Every call throws {@link LastErrorException} carrying {@code errno} when it
 * fails. C {@code long}, {@code size_t} and {@code off_t} are Java {@code long}: the binding is for LP64
 * Linux (x86-64, arm64), as the 8-byte kcov words already assume, and there {@code ioctl}'s variadic third
 * argument passes a pointer and a long the same way. Public so that work run on a kcov thread (the vhost
 * set-up of the sample-data capture: {@code open("/dev/vhost-net")}, {@code VHOST_SET_OWNER}) issues its
 * calls from that thread.
 */
public interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int O_RDWR = 0x2;
    int O_CLOEXEC = 0x80000;
    int PROT_READ = 0x1;
    int PROT_WRITE = 0x2;
    int MAP_SHARED = 0x1;
    int AF_INET = 2;
    int SOCK_DGRAM = 2;

    int open(String path, int flags) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int ioctl(int fd, long request, long argument) throws LastErrorException;

    int ioctl(int fd, long request, Pointer argument) throws LastErrorException;

    Pointer mmap(Pointer address, long length, int protection, int flags, int fd, long offset)
            throws LastErrorException;

    int munmap(Pointer address, long length) throws LastErrorException;

    int getpagesize();

    int eventfd(int initialValue, int flags) throws LastErrorException;

    long write(int fd, Pointer buffer, long count) throws LastErrorException;

    int socket(int domain, int type, int protocol) throws LastErrorException;
}
