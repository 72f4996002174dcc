package dev.kcovexplorer.kcov.agent;

import dev.kcovexplorer.kcov.RemoteHandle;
import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.kcov.live.CoverageArea;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What to collect, validated: a {@link Message.Start} with its defaults filled in.
 *
 * @param usbBuses     USB bus numbers whose hub_event and URB completions are collected
 * @param commonHandle the common handle instance (0 for none)
 * @param local        trace the collecting thread itself ({@code KCOV_ENABLE}) instead of remote handles
 */
public record CollectionPlan(TraceMode mode, int areaWords, int[] usbBuses, long commonHandle, boolean local,
        int periodMillis, boolean keepOnDisconnect) {

    /** 1 Mi words = 8 MiB: at 200 ms per drain, room for 5 M entries per second. */
    public static final int DEFAULT_AREA_WORDS = 1 << 20;
    public static final int DEFAULT_PERIOD_MILLIS = 200;

    public CollectionPlan {
        if (areaWords < 2 || areaWords > CoverageArea.MAX_WORDS) {
            throw new IllegalArgumentException("area size " + areaWords + " words: kcov accepts 2 to "
                    + CoverageArea.MAX_WORDS);
        }
        if (periodMillis < 10 || periodMillis > 60_000) {
            throw new IllegalArgumentException("period " + periodMillis + " ms: expected 10 to 60000");
        }
        for (int bus : usbBuses) {
            if (bus <= 0) {
                throw new IllegalArgumentException("USB bus " + bus + ": bus numbers start at 1");
            }
        }
        if (local && (usbBuses.length > 0 || commonHandle != 0)) {
            throw new IllegalArgumentException("local tracing and remote handles need separate sessions");
        }
        if (!local && usbBuses.length == 0 && commonHandle == 0) {
            throw new IllegalArgumentException("nothing to collect: give USB buses, a common handle, or local");
        }
        if (commonHandle != 0) {
            RemoteHandle.common(commonHandle); // validates the instance
        }
        if (usbBuses.length + (commonHandle != 0 ? 1 : 0) > 0x100) {
            throw new IllegalArgumentException("at most 256 remote handles");
        }
        usbBuses = usbBuses.clone();
    }

    /** Validates a start request; messages of the thrown {@link IllegalArgumentException} are for people. */
    public static CollectionPlan from(Message.Start start) {
        TraceMode mode = start.mode() == null ? TraceMode.PC : TraceMode.parse(start.mode());
        int[] buses = start.usbBuses() == null ? new int[0]
                : start.usbBuses().stream().mapToInt(Integer::intValue).toArray();
        String policy = start.onDisconnect() == null ? "keep" : start.onDisconnect();
        if (!policy.equals("keep") && !policy.equals("stop")) {
            throw new IllegalArgumentException("onDisconnect '" + policy + "': expected keep or stop");
        }
        return new CollectionPlan(mode,
                start.areaWords() == null ? DEFAULT_AREA_WORDS : start.areaWords(),
                buses,
                start.commonHandle() == null ? 0 : start.commonHandle(),
                Boolean.TRUE.equals(start.local()),
                start.periodMillis() == null ? DEFAULT_PERIOD_MILLIS : start.periodMillis(),
                policy.equals("keep"));
    }

    /** The start request that asks for this plan. */
    public Message.Start toStart() {
        return new Message.Start(mode.id(), areaWords, Arrays.stream(usbBuses).boxed().toList(), commonHandle,
                local, periodMillis, keepOnDisconnect ? "keep" : "stop");
    }

    @Override
    public int[] usbBuses() {
        return usbBuses.clone();
    }

    /** The encoded handles for {@code KCOV_REMOTE_ENABLE}, without the common handle. */
    public long[] usbHandles() {
        return Arrays.stream(usbBuses).mapToLong(bus -> RemoteHandle.usb(bus).encode()).toArray();
    }

    public long encodedCommonHandle() {
        return commonHandle == 0 ? 0 : RemoteHandle.common(commonHandle).encode();
    }

    Message.SessionInfo describe(long nextSequence, int bufferedBatches) {
        return new Message.SessionInfo(mode.id(), areaWords, Arrays.stream(usbBuses).boxed().toList(),
                commonHandle, local, periodMillis, keepOnDisconnect ? "keep" : "stop", nextSequence,
                bufferedBatches);
    }

    /** "remote pc collection for USB bus 1, common 0x42" and the like, for log lines. */
    public String summary() {
        if (local) {
            return "local " + mode.id() + " tracing of the agent's kcov thread";
        }
        List<String> sources = Arrays.stream(usbBuses).mapToObj(bus -> "USB bus " + bus)
                .collect(Collectors.toList());
        if (commonHandle != 0) {
            sources.add("common 0x" + Long.toHexString(commonHandle));
        }
        return "remote " + mode.id() + " collection for " + String.join(", ", sources);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CollectionPlan plan && mode == plan.mode && areaWords == plan.areaWords
                && Arrays.equals(usbBuses, plan.usbBuses) && commonHandle == plan.commonHandle
                && local == plan.local && periodMillis == plan.periodMillis
                && keepOnDisconnect == plan.keepOnDisconnect;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(usbBuses) * 31 + Long.hashCode(commonHandle) + mode.hashCode();
    }

    @Override
    public String toString() {
        return summary();
    }
}
