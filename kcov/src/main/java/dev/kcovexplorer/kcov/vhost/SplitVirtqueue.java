package dev.kcovexplorer.kcov.vhost;

import com.sun.jna.Pointer;

/**
 * The driver side of one split virtqueue (virtio 1.x section 2.7) laid out in native memory that the vhost
 * device reads through its memory table: a descriptor table, the available ring the driver fills and the
 * used ring the device fills. Addresses handed to vhost are plain native addresses because the exerciser
 * maps "guest physical" memory 1:1 onto its own.
 */
final class SplitVirtqueue {
    static final int DESCRIPTOR_SIZE = 16;

    private final Pointer memory;
    private final long descOffset;
    private final long availOffset;
    private final long usedOffset;
    private final int size;
    private int availIndex;

    /** Bytes one queue of {@code size} entries needs: descriptors, then the rings, each on its own 4 KiB page. */
    static long footprint(int size) {
        return 3L * pageRound(Math.max(DESCRIPTOR_SIZE * size, 8 * size + 6));
    }

    SplitVirtqueue(Pointer memory, long offset, int size) {
        if (Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("a split virtqueue's size must be a power of two, not " + size);
        }
        long part = footprint(size) / 3;
        this.memory = memory;
        this.descOffset = offset;
        this.availOffset = offset + part;
        this.usedOffset = offset + 2 * part;
        this.size = size;
        memory.setMemory(offset, footprint(size), (byte) 0);
    }

    int size() {
        return size;
    }

    long descAddress() {
        return Pointer.nativeValue(memory) + descOffset;
    }

    long availAddress() {
        return Pointer.nativeValue(memory) + availOffset;
    }

    long usedAddress() {
        return Pointer.nativeValue(memory) + usedOffset;
    }

    /** Fills descriptor {@code index}: {@code struct vring_desc { le64 addr; le32 len; le16 flags; le16 next; }}. */
    void setDescriptor(int index, long address, int length, int flags, int next) {
        writeDescriptor(memory, descOffset + (long) index * DESCRIPTOR_SIZE, address, length, flags, next);
    }

    static void writeDescriptor(Pointer table, long offset, long address, int length, int flags, int next) {
        table.setLong(offset, address);
        table.setInt(offset + 8, length);
        table.setShort(offset + 12, (short) flags);
        table.setShort(offset + 14, (short) next);
    }

    /**
     * Offers the chain starting at descriptor {@code head} to the device: the ring slot is written before the
     * index that publishes it (x86-64 keeps stores in order; the kick's write(2) orders everything for arm64).
     */
    void offer(int head) {
        memory.setShort(availOffset + 4 + 2L * (availIndex % size), (short) head);
        availIndex = (availIndex + 1) & 0xffff;
        memory.setShort(availOffset + 2, (short) availIndex);
    }

    /** How many chains the driver has offered so far (modulo 2^16). */
    int availIndex() {
        return availIndex;
    }

    /** How many chains the device has returned so far (modulo 2^16), read from the used ring's idx. */
    int usedIndex() {
        return memory.getShort(usedOffset + 2) & 0xffff;
    }

    /** The descriptor id of used ring element {@code index} (modulo the queue size). */
    int usedElementId(int index) {
        return memory.getInt(usedOffset + 4 + 8L * (index % size));
    }

    private static long pageRound(long bytes) {
        return (bytes + 4095) & ~4095L;
    }
}
