package dev.kcovexplorer.kcov.agent;

import dev.kcovexplorer.kcov.KcovAbi;
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

    /**
     * Validates a start request field by field; the thrown {@link IllegalArgumentException}'s message
     * names the field and what it should hold.
     */
    public static CollectionPlan from(Message.Start start) {
        TraceMode mode;
        try {
            mode = start.mode() == null ? TraceMode.PC : TraceMode.parse(start.mode());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field mode: " + e.getMessage());
        }
        int areaWords = start.areaWords() == null ? DEFAULT_AREA_WORDS : start.areaWords();
        if (areaWords < 2 || areaWords > CoverageArea.MAX_WORDS) {
            throw new IllegalArgumentException("field areaWords: " + areaWords + " words, kcov accepts 2 to "
                    + CoverageArea.MAX_WORDS);
        }
        int[] buses = usbBuses(start.usbBuses());
        long common = start.commonHandle() == null ? 0 : start.commonHandle();
        if (common < 0 || common > KcovAbi.KCOV_INSTANCE_MASK) {
            throw new IllegalArgumentException("field commonHandle: " + common + " is not an instance from 0 to 0x"
                    + Long.toHexString(KcovAbi.KCOV_INSTANCE_MASK));
        }
        int period = start.periodMillis() == null ? DEFAULT_PERIOD_MILLIS : start.periodMillis();
        if (period < 10 || period > 60_000) {
            throw new IllegalArgumentException("field periodMillis: " + period + " ms, expected 10 to 60000");
        }
        String policy = start.onDisconnect() == null ? "keep" : start.onDisconnect();
        if (!policy.equals("keep") && !policy.equals("stop")) {
            throw new IllegalArgumentException("field onDisconnect: '" + policy + "', expected keep or stop");
        }
        return new CollectionPlan(mode, areaWords, buses, common, Boolean.TRUE.equals(start.local()), period,
                policy.equals("keep"));
    }

    private static int[] usbBuses(List<Integer> requested) {
        if (requested == null) {
            return new int[0];
        }
        if (requested.size() > KcovAbi.KCOV_REMOTE_MAX_HANDLES) {
            throw new IllegalArgumentException("field usbBuses: " + requested.size() + " buses, kcov takes at most "
                    + KcovAbi.KCOV_REMOTE_MAX_HANDLES + " handles");
        }
        int[] buses = new int[requested.size()];
        for (int i = 0; i < buses.length; i++) {
            Integer bus = requested.get(i);
            if (bus == null || bus <= 0) {
                throw new IllegalArgumentException("field usbBuses[" + i + "]: " + bus + ", expected a bus number from 1");
            }
            for (int j = 0; j < i; j++) {
                if (buses[j] == bus) {
                    throw new IllegalArgumentException("field usbBuses[" + i + "]: bus " + bus + " is listed twice");
                }
            }
            buses[i] = bus;
        }
        return buses;
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
        return "remote " + mode.id() + " collection for " + sources();
    }

    /** What is collected, in words: "USB bus 1, common 0x42", or "the agent's kcov thread". */
    public String sources() {
        if (local) {
            return "the agent's kcov thread";
        }
        List<String> sources = Arrays.stream(usbBuses).mapToObj(bus -> "USB bus " + bus)
                .collect(Collectors.toList());
        if (commonHandle != 0) {
            sources.add("common 0x" + Long.toHexString(commonHandle));
        }
        return String.join(", ", sources);
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
