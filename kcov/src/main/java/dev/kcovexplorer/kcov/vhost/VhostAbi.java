package dev.kcovexplorer.kcov.vhost;

import dev.kcovexplorer.kcov.live.Ioctl;

/**
 * Ioctl numbers and flags of {@code <linux/vhost.h>}, {@code <linux/if_tun.h>} and {@code <linux/virtio_*.h>},
 * computed with the kcov binding's {@link Ioctl} encoding so that a test can compare each one with what gcc
 * computes from the real headers.
 */
final class VhostAbi {
    private VhostAbi() {
    }

    private static final char VHOST = 0xAF;
    /** struct vhost_vring_state { unsigned int index, num; } and struct vhost_vring_file { unsigned int index; int fd; } */
    static final int VRING_STATE_SIZE = 8;
    /** struct vhost_vring_addr { u32 index, flags; u64 desc, used, avail, log; } */
    static final int VRING_ADDR_SIZE = 40;
    /** struct vhost_memory { u32 nregions, padding; struct vhost_memory_region regions[]; } without regions */
    static final int MEMORY_HEADER_SIZE = 8;
    /** struct vhost_memory_region { u64 guest_phys_addr, memory_size, userspace_addr, flags_padding; } */
    static final int MEMORY_REGION_SIZE = 32;

    static final long VHOST_GET_FEATURES = Ioctl.ior(VHOST, 0x00, 8);
    static final long VHOST_SET_FEATURES = Ioctl.iow(VHOST, 0x00, 8);
    static final long VHOST_SET_OWNER = Ioctl.io(VHOST, 0x01);
    static final long VHOST_SET_LOG_BASE = Ioctl.iow(VHOST, 0x04, 8);
    static final long VHOST_SET_MEM_TABLE = Ioctl.iow(VHOST, 0x03, MEMORY_HEADER_SIZE);
    static final long VHOST_SET_VRING_NUM = Ioctl.iow(VHOST, 0x10, VRING_STATE_SIZE);
    static final long VHOST_SET_VRING_ADDR = Ioctl.iow(VHOST, 0x11, VRING_ADDR_SIZE);
    static final long VHOST_SET_VRING_BASE = Ioctl.iow(VHOST, 0x12, VRING_STATE_SIZE);
    static final long VHOST_SET_VRING_KICK = Ioctl.iow(VHOST, 0x20, VRING_STATE_SIZE);
    static final long VHOST_SET_VRING_CALL = Ioctl.iow(VHOST, 0x21, VRING_STATE_SIZE);
    static final long VHOST_NET_SET_BACKEND = Ioctl.iow(VHOST, 0x30, VRING_STATE_SIZE);

    static final long TUNSETIFF = Ioctl.iow('T', 202, 4);
    static final long TUNSETVNETHDRSZ = Ioctl.iow('T', 216, 4);
    static final int IFF_TAP = 0x0002;
    static final int IFF_NO_PI = 0x1000;
    static final int IFF_VNET_HDR = 0x4000;

    /** struct ifreq: 16-byte name, then a 24-byte union (flags, or a struct sockaddr). */
    static final int IFREQ_SIZE = 40;
    static final long SIOCGIFFLAGS = 0x8913;
    static final long SIOCSIFFLAGS = 0x8914;
    static final long SIOCSIFADDR = 0x8916;
    static final long SIOCSIFNETMASK = 0x891c;
    static final short IFF_UP = 0x1;

    static final int VRING_DESC_F_NEXT = 1;
    static final int VRING_DESC_F_WRITE = 2;
    static final int VRING_DESC_F_INDIRECT = 4;
    static final int VIRTIO_NET_F_MRG_RXBUF = 15;
    static final int VIRTIO_RING_F_INDIRECT_DESC = 28;
    static final int VIRTIO_RING_F_EVENT_IDX = 29;
    static final int VIRTIO_F_VERSION_1 = 32;
    static final int VHOST_F_LOG_ALL = 26;
    static final int VHOST_VRING_F_LOG = 0;

    /** vhost-net's queue indexes. */
    static final int RX_QUEUE = 0;
    static final int TX_QUEUE = 1;
}
