package dev.kcovexplorer.kcov.vhost;

import static dev.kcovexplorer.kcov.live.LibC.AF_INET;
import static dev.kcovexplorer.kcov.live.LibC.O_CLOEXEC;
import static dev.kcovexplorer.kcov.live.LibC.O_RDWR;
import static dev.kcovexplorer.kcov.live.LibC.SOCK_DGRAM;
import static dev.kcovexplorer.kcov.vhost.VhostAbi.*;

import dev.kcovexplorer.kcov.live.LibC;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Drives the kernel's vhost-net device the way a VMM does, so that {@code vhost_worker()} runs real work:
 * {@code handle_tx} walking {@code vhost_get_vq_desc}, {@code translate_desc}, indirect tables and
 * {@code vhost_add_used}, and {@code handle_rx} delivering the kernel's ARP replies from a tap backend.
 *
 * <p>Remote kcov: {@code VHOST_SET_OWNER} stores the calling task's kcov common handle in the device, and the
 * vhost worker collects coverage under that handle for every work item. So {@link #open()} must run on the
 * thread that issued {@code KCOV_REMOTE_ENABLE} with a common handle (the kcov binding's pinned thread).
 *
 * <p>The "guest memory" is one native block of this process, described to vhost as two memory regions that
 * meet inside the TX buffers (so {@code translate_desc} splits those buffers in two), at guest-physical address
 * {@value #GUEST_BASE}: descriptors carry guest-physical addresses, as a VMM's would. Successive
 * {@link #exercise} calls alternate between event-index notifications and dirty-page logging
 * ({@code VHOST_F_LOG_ALL} with a log bitmap, as during live migration), the two ways a VMM runs a vhost device.
 */
public final class VhostNetExerciser implements AutoCloseable {
    private static final int QUEUE_SIZE = 256;
    private static final int BUFFER_SIZE = 2048;
    private static final int MAX_PACKETS_PER_ROUND = 64;
    private static final String TAP_ADDRESS = "10.0.3.2";
    private static final String PEER_ADDRESS = "10.0.3.1";
    private static final long GUEST_BASE = 0x100000;
    /** One bit per 4 KiB guest page; 4 KiB of bitmap covers 128 MiB of guest-physical space. */
    private static final int LOG_BYTES = 4096;

    private final int vhostFd;
    private final int tapFd;
    private final int[] eventFds = new int[4];
    private final Memory block;
    private final Pointer memory;
    private final long memorySize;
    private final Memory dirtyLog = new Memory(LOG_BYTES);
    private final SplitVirtqueue rx;
    private final SplitVirtqueue tx;
    private final long rxBuffers;
    private final long txBuffers;
    private final int headerLength;
    private final boolean indirect;
    private final long eventIndexFeatures;
    private final long loggingFeatures;
    private final String tapName;
    private int rxUsedSeen;
    private int exerciseCalls;

    /** What one {@link #exercise} call did. */
    public record Result(int packetsOffered, int packetsCompleted, int framesReceived) {
    }

    private VhostNetExerciser(int vhostFd, int tapFd, String tapName, long features, long supported) {
        this.vhostFd = vhostFd;
        this.tapFd = tapFd;
        this.tapName = tapName;
        this.headerLength = (features & (1L << VIRTIO_F_VERSION_1 | 1L << VIRTIO_NET_F_MRG_RXBUF)) != 0 ? 12 : 10;
        this.indirect = (features & 1L << VIRTIO_RING_F_INDIRECT_DESC) != 0;
        this.eventIndexFeatures = features;
        this.loggingFeatures = (supported & 1L << VHOST_F_LOG_ALL) == 0 ? features
                : (features & ~(1L << VIRTIO_RING_F_EVENT_IDX)) | 1L << VHOST_F_LOG_ALL;
        long queueBytes = SplitVirtqueue.footprint(QUEUE_SIZE);
        long size = 2 * queueBytes + 2L * QUEUE_SIZE * BUFFER_SIZE;
        this.block = new Memory(size + 4096);
        this.memory = block.align(4096);
        this.memorySize = size;
        this.rx = new SplitVirtqueue(memory, 0, QUEUE_SIZE);
        this.tx = new SplitVirtqueue(memory, queueBytes, QUEUE_SIZE);
        this.rxBuffers = 2 * queueBytes;
        this.txBuffers = rxBuffers + (long) QUEUE_SIZE * BUFFER_SIZE;
    }

    /**
     * Opens {@code /dev/vhost-net}, makes the calling thread its owner (see the class comment), negotiates
     * version 1 rings with indirect descriptors and event indexes, and attaches a fresh tap device (address
     * 10.0.3.2/24, up) as the backend of both queues, with every RX buffer offered.
     */
    public static VhostNetExerciser open() throws IOException {
        int vhostFd = -1;
        int tapFd = -1;
        try {
            vhostFd = call("open /dev/vhost-net (is CONFIG_VHOST_NET built and devtmpfs mounted?)",
                    () -> LibC.INSTANCE.open("/dev/vhost-net", O_RDWR | O_CLOEXEC));
            int fd = vhostFd;
            call("VHOST_SET_OWNER", () -> LibC.INSTANCE.ioctl(fd, VHOST_SET_OWNER, 0L));
            Memory word = new Memory(8);
            call("VHOST_GET_FEATURES", () -> LibC.INSTANCE.ioctl(fd, VHOST_GET_FEATURES, word));
            long wanted = 1L << VIRTIO_F_VERSION_1 | 1L << VIRTIO_RING_F_EVENT_IDX | 1L << VIRTIO_RING_F_INDIRECT_DESC
                    | 1L << VIRTIO_NET_F_MRG_RXBUF;
            long supported = word.getLong(0);
            long features = supported & wanted;
            word.setLong(0, features);
            call("VHOST_SET_FEATURES", () -> LibC.INSTANCE.ioctl(fd, VHOST_SET_FEATURES, word));

            tapFd = call("open /dev/net/tun (is CONFIG_TUN built?)", () -> LibC.INSTANCE.open("/dev/net/tun", O_RDWR | O_CLOEXEC));
            String tapName = createTap(tapFd);
            VhostNetExerciser exerciser = new VhostNetExerciser(vhostFd, tapFd, tapName, features, supported);
            exerciser.configure();
            return exerciser;
        } catch (IOException | RuntimeException e) {
            closeQuietly(tapFd);
            closeQuietly(vhostFd);
            throw e;
        }
    }

    private static String createTap(int tapFd) throws IOException {
        Memory ifreq = new Memory(IFREQ_SIZE);
        ifreq.clear();
        ifreq.setString(0, "kxvhost%d", StandardCharsets.US_ASCII.name());
        ifreq.setShort(16, (short) (IFF_TAP | IFF_NO_PI | IFF_VNET_HDR));
        call("TUNSETIFF", () -> LibC.INSTANCE.ioctl(tapFd, TUNSETIFF, ifreq));
        return ifreq.getString(0, StandardCharsets.US_ASCII.name());
    }

    private void configure() throws IOException {
        Memory size = new Memory(4);
        size.setInt(0, headerLength);
        call("TUNSETVNETHDRSZ", () -> LibC.INSTANCE.ioctl(tapFd, TUNSETVNETHDRSZ, size));
        bringTapUp();

        // Two regions, contiguous in both spaces, meeting in the middle of TX packet slot 3's frame.
        long split = txBuffers + 3L * BUFFER_SIZE + headerLength + 20;
        Memory table = new Memory(MEMORY_HEADER_SIZE + 2 * MEMORY_REGION_SIZE);
        table.clear();
        table.setInt(0, 2);
        setRegion(table, 0, 0, split);
        setRegion(table, 1, split, memorySize - split);
        call("VHOST_SET_MEM_TABLE", () -> LibC.INSTANCE.ioctl(vhostFd, VHOST_SET_MEM_TABLE, table));
        dirtyLog.clear();
        Memory logBase = new Memory(8);
        logBase.setLong(0, Pointer.nativeValue(dirtyLog));
        call("VHOST_SET_LOG_BASE", () -> LibC.INSTANCE.ioctl(vhostFd, VHOST_SET_LOG_BASE, logBase));

        for (int i = 0; i < QUEUE_SIZE; i++) {
            rx.setDescriptor(i, guest(rxBuffers + (long) i * BUFFER_SIZE), BUFFER_SIZE, VRING_DESC_F_WRITE, 0);
            rx.offer(i);
        }
        setUpQueue(RX_QUEUE, rx, 0);
        setUpQueue(TX_QUEUE, tx, 2);
        setBackend(RX_QUEUE, tapFd);
        setBackend(TX_QUEUE, tapFd);
    }

    private void setRegion(Memory table, int region, long offset, long size) {
        long at = MEMORY_HEADER_SIZE + (long) region * MEMORY_REGION_SIZE;
        table.setLong(at, guest(offset));
        table.setLong(at + 8, size);
        table.setLong(at + 16, Pointer.nativeValue(memory) + offset);
    }

    /** The guest-physical address of a byte of the memory block. */
    private static long guest(long offset) {
        return GUEST_BASE + offset;
    }

    private void setUpQueue(int index, SplitVirtqueue queue, int eventSlot) throws IOException {
        Memory state = new Memory(VRING_STATE_SIZE);
        state.setInt(0, index);
        state.setInt(4, queue.size());
        call("VHOST_SET_VRING_NUM", () -> LibC.INSTANCE.ioctl(vhostFd, VHOST_SET_VRING_NUM, state));
        state.setInt(4, 0);
        call("VHOST_SET_VRING_BASE", () -> LibC.INSTANCE.ioctl(vhostFd, VHOST_SET_VRING_BASE, state));

        Memory addr = new Memory(VRING_ADDR_SIZE);
        addr.clear();
        addr.setInt(0, index);
        addr.setInt(4, 1 << VHOST_VRING_F_LOG);
        addr.setLong(8, queue.descAddress());
        addr.setLong(16, queue.usedAddress());
        addr.setLong(24, queue.availAddress());
        addr.setLong(32, guest(queue.usedAddress() - Pointer.nativeValue(memory)));
        call("VHOST_SET_VRING_ADDR", () -> LibC.INSTANCE.ioctl(vhostFd, VHOST_SET_VRING_ADDR, addr));

        int kick = call("eventfd", () -> LibC.INSTANCE.eventfd(0, O_CLOEXEC));
        eventFds[eventSlot] = kick;
        int callFd = call("eventfd", () -> LibC.INSTANCE.eventfd(0, O_CLOEXEC));
        eventFds[eventSlot + 1] = callFd;
        Memory file = new Memory(VRING_STATE_SIZE);
        file.setInt(0, index);
        file.setInt(4, kick);
        call("VHOST_SET_VRING_KICK", () -> LibC.INSTANCE.ioctl(vhostFd, VHOST_SET_VRING_KICK, file));
        file.setInt(4, callFd);
        call("VHOST_SET_VRING_CALL", () -> LibC.INSTANCE.ioctl(vhostFd, VHOST_SET_VRING_CALL, file));
    }

    private void setBackend(int index, int fd) throws IOException {
        Memory file = new Memory(VRING_STATE_SIZE);
        file.setInt(0, index);
        file.setInt(4, fd);
        call("VHOST_NET_SET_BACKEND", () -> LibC.INSTANCE.ioctl(vhostFd, VHOST_NET_SET_BACKEND, file));
    }

    private void bringTapUp() throws IOException {
        int sock = call("socket(AF_INET)", () -> LibC.INSTANCE.socket(AF_INET, SOCK_DGRAM, 0));
        try {
            Memory ifreq = new Memory(IFREQ_SIZE);
            setInetAddress(ifreq, TAP_ADDRESS);
            call("SIOCSIFADDR " + tapName, () -> LibC.INSTANCE.ioctl(sock, SIOCSIFADDR, ifreq));
            setInetAddress(ifreq, "255.255.255.0");
            call("SIOCSIFNETMASK " + tapName, () -> LibC.INSTANCE.ioctl(sock, SIOCSIFNETMASK, ifreq));
            call("SIOCGIFFLAGS " + tapName, () -> LibC.INSTANCE.ioctl(sock, SIOCGIFFLAGS, ifreq));
            ifreq.setShort(16, (short) (ifreq.getShort(16) | IFF_UP));
            call("SIOCSIFFLAGS " + tapName, () -> LibC.INSTANCE.ioctl(sock, SIOCSIFFLAGS, ifreq));
        } finally {
            closeQuietly(sock);
        }
    }

    private void setInetAddress(Memory ifreq, String dotted) {
        ifreq.clear();
        ifreq.setString(0, tapName, StandardCharsets.US_ASCII.name());
        ifreq.setShort(16, (short) AF_INET);
        ifreq.write(20, ipv4(dotted), 0, 4);
    }

    /**
     * Sends {@code rounds} batches of {@code packetsPerRound} ARP requests for the tap's address through the TX
     * queue, alternating one-descriptor packets, header + frame chains and (when negotiated) indirect tables;
     * kicks after each batch and waits until vhost has returned every chain. The kernel answers each request on
     * the tap, which vhost delivers into the RX queue; consumed RX buffers are offered again.
     */
    public Result exercise(int rounds, int packetsPerRound, Duration timeout) throws IOException {
        if (packetsPerRound < 1 || packetsPerRound > MAX_PACKETS_PER_ROUND) {
            throw new IllegalArgumentException("packets per round must be 1.." + MAX_PACKETS_PER_ROUND);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Memory features = new Memory(8);
        features.setLong(0, exerciseCalls++ % 2 == 0 ? eventIndexFeatures : loggingFeatures);
        call("VHOST_SET_FEATURES", () -> LibC.INSTANCE.ioctl(vhostFd, VHOST_SET_FEATURES, features));
        int offered = 0;
        int completed = 0;
        int received = 0;
        for (int round = 0; round < rounds; round++) {
            int descriptor = 0;
            for (int p = 0; p < packetsPerRound; p++) {
                descriptor = offerPacket(p, offered + p, descriptor);
            }
            offered += packetsPerRound;
            kick(eventFds[2]);
            int target = tx.availIndex();
            while (tx.usedIndex() != target) {
                if (System.nanoTime() > deadline) {
                    int returned = completed + ((tx.usedIndex() - target + packetsPerRound) & 0xffff);
                    throw new IOException("vhost-net: the TX queue returned " + returned + " of " + offered
                            + " packets before the timeout");
                }
                sleepBriefly();
            }
            completed += packetsPerRound;
            received += recycleRxBuffers();
        }
        sleepBriefly();
        received += recycleRxBuffers();
        return new Result(offered, completed, received);
    }

    /** Lays out packet {@code slot} of this round from descriptor {@code first}; returns the next free descriptor. */
    private int offerPacket(int slot, int sequence, int first) {
        long offset = txBuffers + (long) slot * BUFFER_SIZE;
        long buffer = guest(offset);
        memory.setMemory(offset, headerLength, (byte) 0);
        byte[] frame = arpRequest(sequence);
        memory.write(offset + headerLength, frame, 0, frame.length);
        switch (sequence % (indirect ? 3 : 2)) {
            case 0 -> {
                tx.setDescriptor(first, buffer, headerLength + frame.length, 0, 0);
                tx.offer(first);
                return first + 1;
            }
            case 1 -> {
                tx.setDescriptor(first, buffer, headerLength, VRING_DESC_F_NEXT, first + 1);
                tx.setDescriptor(first + 1, buffer + headerLength, frame.length, 0, 0);
                tx.offer(first);
                return first + 2;
            }
            default -> {
                long table = offset + BUFFER_SIZE / 2;
                SplitVirtqueue.writeDescriptor(memory, table, buffer, headerLength, VRING_DESC_F_NEXT, 1);
                SplitVirtqueue.writeDescriptor(memory, table + SplitVirtqueue.DESCRIPTOR_SIZE, buffer + headerLength,
                        frame.length, 0, 0);
                tx.setDescriptor(first, guest(table), 2 * SplitVirtqueue.DESCRIPTOR_SIZE,
                        VRING_DESC_F_INDIRECT, 0);
                tx.offer(first);
                return first + 1;
            }
        }
    }

    /** Offers again every RX buffer vhost filled since the last call; returns how many there were. */
    private int recycleRxBuffers() throws IOException {
        int used = rx.usedIndex();
        int count = (used - rxUsedSeen) & 0xffff;
        for (int i = 0; i < count; i++) {
            int id = rx.usedElementId(rxUsedSeen + i);
            rx.offer(id);
        }
        rxUsedSeen = used;
        if (count > 0) {
            kick(eventFds[0]);
        }
        return count;
    }

    private void kick(int eventFd) throws IOException {
        Memory one = new Memory(8);
        one.setLong(0, 1);
        call("write to the kick eventfd", () -> (int) LibC.INSTANCE.write(eventFd, one, 8));
    }

    /** A broadcast ARP "who has 10.0.3.2, tell 10.0.3.1" from a locally administered MAC that varies per packet. */
    private static byte[] arpRequest(int sequence) {
        byte[] frame = new byte[60];
        byte[] source = {0x52, 0x54, 0, 0x6b, (byte) (sequence >> 8), (byte) sequence};
        for (int i = 0; i < 6; i++) {
            frame[i] = (byte) 0xff;
        }
        System.arraycopy(source, 0, frame, 6, 6);
        frame[12] = 0x08;
        frame[13] = 0x06;
        byte[] arp = {0, 1, 0x08, 0x00, 6, 4, 0, 1};
        System.arraycopy(arp, 0, frame, 14, arp.length);
        System.arraycopy(source, 0, frame, 22, 6);
        System.arraycopy(ipv4(PEER_ADDRESS), 0, frame, 28, 4);
        System.arraycopy(ipv4(TAP_ADDRESS), 0, frame, 38, 4);
        return frame;
    }

    private static byte[] ipv4(String dotted) {
        String[] parts = dotted.split("\\.");
        byte[] address = new byte[4];
        for (int i = 0; i < 4; i++) {
            address[i] = (byte) Integer.parseInt(parts[i]);
        }
        return address;
    }

    private static void sleepBriefly() throws IOException {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("vhost-net: interrupted while waiting for the device", e);
        }
    }

    /** Closes the device (its release flushes the worker, still under the owner's kcov handle), the tap and the eventfds. */
    @Override
    public void close() {
        closeQuietly(vhostFd);
        closeQuietly(tapFd);
        for (int fd : eventFds) {
            closeQuietly(fd);
        }
    }

    private interface Syscall {
        int run() throws LastErrorException;
    }

    private static int call(String what, Syscall syscall) throws IOException {
        try {
            return syscall.run();
        } catch (LastErrorException e) {
            throw new IOException("vhost-net: " + what + " failed: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(int fd) {
        if (fd > 0) {
            try {
                LibC.INSTANCE.close(fd);
            } catch (LastErrorException ignored) {
                // nothing useful to do about a failed close during cleanup
            }
        }
    }
}
