package dev.kcovexplorer.kcov.vhost;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** The few libc calls the vhost exerciser needs; every call throws {@link LastErrorException} with errno on failure. */
interface LinuxCalls extends Library {
    LinuxCalls LIBC = Native.load("c", LinuxCalls.class);

    int O_RDWR = 2;
    int O_CLOEXEC = 0x80000;
    int AF_INET = 2;
    int SOCK_DGRAM = 2;

    int open(String path, int flags) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    /** ioctl is variadic in C; on x86-64 and arm64 a pointer or long third argument passes the same way. */
    int ioctl(int fd, long request, Pointer argument) throws LastErrorException;

    int ioctl(int fd, long request, long argument) throws LastErrorException;

    int eventfd(int initialValue, int flags) throws LastErrorException;

    long write(int fd, Pointer buffer, long count) throws LastErrorException;

    int socket(int domain, int type, int protocol) throws LastErrorException;
}
