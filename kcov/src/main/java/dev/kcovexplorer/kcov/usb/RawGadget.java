package dev.kcovexplorer.kcov.usb;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import dev.kcovexplorer.kcov.live.LibC;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One raw-gadget instance ({@code /dev/raw-gadget}): bound to a UDC by {@link #start}, it emulates a device
 * whose endpoint 0 user space answers, request by request. Every call is made by the thread that opened it,
 * which {@link #interrupt} can wake from a blocking call from another thread. Closing unbinds the gadget: the
 * host sees the device go away.
 */
final class RawGadget implements AutoCloseable {
    static final Path DEVICE = Path.of("/dev/raw-gadget");
    /** Errno of a call the interrupt signal woke. */
    static final int EINTR = 4;
    private static final int MAX_EVENT_DATA = 512;

    private final int fd;
    private final long thread;
    private final Memory event = new Memory(RawGadgetAbi.EVENT_HEADER_SIZE + MAX_EVENT_DATA);
    private final Memory io = new Memory(RawGadgetAbi.EP_IO_HEADER_SIZE + UsbDevice.MAX_BLOB + 64 * 1024);
    private boolean closed;

    private RawGadget(int fd, long thread) {
        this.fd = fd;
        this.thread = thread;
    }

    /** Opens the device on the calling thread, which must make every later call. */
    static RawGadget open(Path device) throws IOException {
        PosixSignals.interruptSignal();
        try {
            return new RawGadget(LibC.INSTANCE.open(device.toString(), LibC.O_RDWR | LibC.O_CLOEXEC),
                    PosixSignals.currentThread());
        } catch (LastErrorException e) {
            throw new IOException("cannot open " + device + " (errno " + e.getErrorCode() + "; is the kernel built"
                    + " with CONFIG_USB_RAW_GADGET, and are you root?)");
        }
    }

    /** USB_RAW_IOCTL_INIT for the UDC {@code driver}/{@code device} (dummy_udc, dummy_udc.0), then RUN. */
    void start(String driver, String device, int speed) throws IOException {
        Memory init = new Memory(RawGadgetAbi.INIT_SIZE);
        init.clear();
        byte[] driverName = driver.getBytes(StandardCharsets.US_ASCII);
        byte[] deviceName = device.getBytes(StandardCharsets.US_ASCII);
        if (driverName.length >= RawGadgetAbi.UDC_NAME_LENGTH_MAX || deviceName.length >= RawGadgetAbi.UDC_NAME_LENGTH_MAX) {
            throw new IllegalArgumentException("UDC names are at most " + (RawGadgetAbi.UDC_NAME_LENGTH_MAX - 1) + " bytes");
        }
        init.write(0, driverName, 0, driverName.length);
        init.write(RawGadgetAbi.UDC_NAME_LENGTH_MAX, deviceName, 0, deviceName.length);
        init.setByte(2 * RawGadgetAbi.UDC_NAME_LENGTH_MAX, (byte) speed);
        call("USB_RAW_IOCTL_INIT " + driver + "/" + device, () -> LibC.INSTANCE.ioctl(fd, RawGadgetAbi.INIT, init));
        call("USB_RAW_IOCTL_RUN", () -> LibC.INSTANCE.ioctl(fd, RawGadgetAbi.RUN, 0L));
    }

    /** An event: CONNECT, or CONTROL with its setup packet; blocks until the host acts. */
    record Event(int type, byte[] data) {
    }

    Event fetch() throws IOException {
        event.clear(RawGadgetAbi.EVENT_HEADER_SIZE);
        event.setInt(4, MAX_EVENT_DATA);
        call("USB_RAW_IOCTL_EVENT_FETCH", () -> LibC.INSTANCE.ioctl(fd, RawGadgetAbi.EVENT_FETCH, event));
        int length = Math.min(event.getInt(4), MAX_EVENT_DATA);
        return new Event(event.getInt(0), event.getByteArray(RawGadgetAbi.EVENT_HEADER_SIZE, length));
    }

    /** The data stage of an IN request; returns the bytes sent. */
    int ep0Write(byte[] data) throws IOException {
        io.setShort(0, (short) 0);
        io.setShort(2, (short) 0);
        io.setInt(4, data.length);
        io.write(RawGadgetAbi.EP_IO_HEADER_SIZE, data, 0, data.length);
        return call("USB_RAW_IOCTL_EP0_WRITE", () -> LibC.INSTANCE.ioctl(fd, RawGadgetAbi.EP0_WRITE, io));
    }

    /** The data stage of an OUT request (or its status stage, with length 0); returns the bytes read. */
    int ep0Read(int length) throws IOException {
        if (length > io.size() - RawGadgetAbi.EP_IO_HEADER_SIZE) {
            throw new IllegalArgumentException("an OUT data stage of " + length + " bytes");
        }
        io.setShort(0, (short) 0);
        io.setShort(2, (short) 0);
        io.setInt(4, length);
        return call("USB_RAW_IOCTL_EP0_READ", () -> LibC.INSTANCE.ioctl(fd, RawGadgetAbi.EP0_READ, io));
    }

    void ep0Stall() throws IOException {
        call("USB_RAW_IOCTL_EP0_STALL", () -> LibC.INSTANCE.ioctl(fd, RawGadgetAbi.EP0_STALL, 0L));
    }

    /** Switches the gadget to configured and tells the UDC the current it draws (units of 2 mA). */
    void configure(int maxPower) throws IOException {
        call("USB_RAW_IOCTL_VBUS_DRAW", () -> LibC.INSTANCE.ioctl(fd, RawGadgetAbi.VBUS_DRAW, (long) maxPower));
        call("USB_RAW_IOCTL_CONFIGURE", () -> LibC.INSTANCE.ioctl(fd, RawGadgetAbi.CONFIGURE, 0L));
    }

    /** Wakes the owning thread from a blocking call (it then fails with {@link Interrupted}). */
    void interrupt() {
        PosixSignals.interrupt(thread);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                LibC.INSTANCE.close(fd);
            } catch (LastErrorException ignored) {
                // the fd is gone either way
            }
        }
    }

    /** A blocking call woken by {@link #interrupt}. */
    static final class Interrupted extends IOException {
        Interrupted(String call) {
            super(call + " interrupted");
        }
    }

    /** A call the kernel refused, with its errno. */
    static final class Failed extends IOException {
        final int errno;

        Failed(String call, int errno) {
            super(call + " failed (errno " + errno + ")");
            this.errno = errno;
        }
    }

    @FunctionalInterface
    private interface Ioctl {
        int run() throws LastErrorException;
    }

    private int call(String what, Ioctl ioctl) throws IOException {
        try {
            return ioctl.run();
        } catch (LastErrorException e) {
            throw e.getErrorCode() == EINTR ? new Interrupted(what) : new Failed(what, e.getErrorCode());
        }
    }
}
