package dev.kcovexplorer.kcov.agent;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Wrong tokens per peer address, to slow guessing down: after {@link #FREE_ATTEMPTS} failures each further
 * one makes the peer wait twice as long as the last (1 s, 2 s, 4 s … up to a minute) before the agent
 * answers it again. A success forgets the peer; so does a quarter of an hour without failures. At most
 * {@link #MAX_PEERS} peers are remembered (the least recently seen go first), so a spray of addresses
 * cannot fill memory.
 */
final class FailedAttempts {
    static final int FREE_ATTEMPTS = 3;
    private static final long FIRST_PAUSE_MILLIS = 1_000;
    private static final long MAX_PAUSE_MILLIS = 60_000;
    private static final long FORGET_MILLIS = 15 * 60_000;
    private static final int MAX_PEERS = 4096;

    private static final class Peer {
        int failures;
        long lastFailureNanos;
        long pausedUntilNanos;
    }

    private final Map<InetAddress, Peer> peers = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Peer> eldest) {
            return size() > MAX_PEERS;
        }
    };

    /** How long {@code address} must still wait before it may try again; 0 when it may now. */
    synchronized long pauseLeftMillis(InetAddress address) {
        Peer peer = current(address);
        return peer == null ? 0 : Math.max(0, TimeUnit.NANOSECONDS.toMillis(peer.pausedUntilNanos - System.nanoTime()));
    }

    synchronized void failed(InetAddress address) {
        Peer peer = current(address);
        if (peer == null) {
            peer = new Peer();
            peers.put(address, peer);
        }
        long now = System.nanoTime();
        peer.failures++;
        peer.lastFailureNanos = now;
        if (peer.failures > FREE_ATTEMPTS) {
            int doublings = Math.min(peer.failures - FREE_ATTEMPTS - 1, 16);
            long pause = Math.min(MAX_PAUSE_MILLIS, FIRST_PAUSE_MILLIS << doublings);
            peer.pausedUntilNanos = now + TimeUnit.MILLISECONDS.toNanos(pause);
        }
    }

    synchronized void succeeded(InetAddress address) {
        peers.remove(address);
    }

    private Peer current(InetAddress address) {
        Peer peer = peers.get(address);
        if (peer != null && System.nanoTime() - peer.lastFailureNanos > TimeUnit.MILLISECONDS.toNanos(FORGET_MILLIS)) {
            peers.remove(address);
            return null;
        }
        return peer;
    }
}
