package dev.kcovexplorer.kcov.agent;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * The JSON control messages of the agent protocol (see docs/agent-protocol.md). Each is one frame of
 * kind {@code 'J'} whose {@code "type"} field names the record below.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Message.Hello.class, name = "hello"),
    @JsonSubTypes.Type(value = Message.Challenge.class, name = "challenge"),
    @JsonSubTypes.Type(value = Message.Auth.class, name = "auth"),
    @JsonSubTypes.Type(value = Message.Welcome.class, name = "welcome"),
    @JsonSubTypes.Type(value = Message.Start.class, name = "start"),
    @JsonSubTypes.Type(value = Message.Started.class, name = "started"),
    @JsonSubTypes.Type(value = Message.Stop.class, name = "stop"),
    @JsonSubTypes.Type(value = Message.Stopped.class, name = "stopped"),
    @JsonSubTypes.Type(value = Message.Reset.class, name = "reset"),
    @JsonSubTypes.Type(value = Message.ResetDone.class, name = "reset-done"),
    @JsonSubTypes.Type(value = Message.Layout.class, name = "layout"),
    @JsonSubTypes.Type(value = Message.Modules.class, name = "modules"),
    @JsonSubTypes.Type(value = Message.Exercise.class, name = "exercise"),
    @JsonSubTypes.Type(value = Message.Exercising.class, name = "exercising"),
    @JsonSubTypes.Type(value = Message.Error.class, name = "error"),
    @JsonSubTypes.Type(value = Message.Bye.class, name = "bye"),
})
public sealed interface Message {

    /**
     * Client → agent, first message of every connection.
     *
     * @param protocol    the protocol version the client speaks ({@link AgentProtocol#VERSION})
     * @param client      what the client is, for the agent's log
     * @param resumeAfter the last batch sequence number this client received from this agent before a
     *                    reconnect (0 for none): retained batches after it are sent again
     */
    record Hello(int protocol, String client, long resumeAfter) implements Message {
    }

    /**
     * Agent → client, the answer to {@link Hello} when the agent has a token: prove you know it.
     *
     * @param nonce 32 random bytes in hex, new for every connection
     */
    record Challenge(String nonce) implements Message {
    }

    /**
     * Client → agent, the answer to {@link Challenge}; the token itself never crosses the wire.
     *
     * @param proof HMAC-SHA256 of the nonce's hex text (as ASCII), keyed with the token (UTF-8), in hex
     */
    record Auth(String proof) implements Message {
    }

    /**
     * Agent → client, the answer to {@link Hello}: what this target is and what it can do.
     *
     * @param instance different for every start of the agent: sequence numbers restart with it
     */
    record Welcome(int protocol, String agent, String instance, KernelInfo kernel, SessionInfo session)
            implements Message {
    }

    /**
     * Client → agent: start collecting. Missing fields take the defaults of {@link CollectionPlan}.
     *
     * @param mode         "pc" or "cmp"
     * @param areaWords    kcov area size in words (word 0 is the count)
     * @param usbBuses     USB bus numbers to collect remotely (hub_event, URB completions)
     * @param commonHandle a common handle instance to collect remotely (0 for none)
     * @param local        trace the agent's own kcov thread instead of remote handles
     * @param periodMillis how often the agent drains the area and sends a batch
     * @param onDisconnect "keep" collecting and buffer batches for the next controller, or "stop"
     */
    record Start(String mode, Integer areaWords, List<Integer> usbBuses, Long commonHandle, Boolean local,
            Integer periodMillis, String onDisconnect) implements Message {
    }

    /** Agent → client: collection runs. */
    record Started(SessionInfo session) implements Message {
    }

    /** Client → agent: disable kcov, send what is left, end the session. */
    record Stop() implements Message {
    }

    /**
     * Agent → client: the session ended; every batch it produced was sent before this message.
     *
     * @param batches         batches produced by the session
     * @param entries         entries (PCs or CMP records) in them
     * @param overflowBatches batches flagged as overflowed (the kernel dropped entries)
     * @param droppedBatches  batches discarded because the buffer for a disconnected client was full
     */
    record Stopped(long batches, long entries, long overflowBatches, long droppedBatches) implements Message {
    }

    /**
     * Client → agent: discard everything collected and not yet sent; collection goes on.
     *
     * @param reset the client's number for this reset, echoed in the answer
     */
    record Reset(long reset) implements Message {
    }

    /**
     * Agent → client: the reset happened; batches from {@code nextSequence} on hold only new coverage.
     *
     * @param reset the number of the {@link Reset} this answers: an answer that comes after the client gave up waiting
     *              must not be taken for the next reset's (whose point is later), and still says where this one was
     */
    record ResetDone(long nextSequence, long reset) implements Message {
    }

    /** Client → agent: where the kernel has its modules loaded now. */
    record Layout() implements Message {
    }

    /**
     * Agent → client, the answer to {@link Layout}: the module layout in the text form of
     * {@code dev.kcovexplorer.kcov.ModuleLayoutReader} ({@code MODULE SECTION ADDRESS} and
     * {@code MODULE build-id HEX} lines), read from {@code /sys/module} when asked.
     *
     * @param layout  the layout text, null when it could not be read
     * @param modules how many modules it places (0: none is loaded)
     * @param problem why it could not be read (the agent is not root, no sysfs), or null
     */
    record Modules(String layout, int modules, String problem) implements Message {
    }

    /**
     * Client → agent: start or stop a workload on the target that runs under the session's common handle,
     * so its kernel work is collected remotely.
     *
     * @param workload "vhost-net": a vhost-net device owned by the agent's kcov thread, fed packets, so
     *                 {@code vhost_worker} runs under the common handle
     * @param running  true to start it, false to stop it
     */
    record Exercise(String workload, Boolean running) implements Message {
    }

    /** Agent → client: the workload runs now, or stopped; {@code summary} says what it did, for people. */
    record Exercising(String workload, boolean running, String summary) implements Message {
    }

    /** Agent → client: a request failed, or the connection is refused ({@code request} names which). */
    record Error(String request, String message) implements Message {
    }

    /** Agent → client: the agent is shutting down (SIGTERM); kcov is already disabled. */
    record Bye(String reason) implements Message {
    }

    /** What the target runs and offers, sent in {@link Welcome}. */
    record KernelInfo(String release, String buildId, boolean kcov, boolean comparisons, boolean remote,
            String problem, List<UsbBus> usbBuses) {
    }

    /** One USB bus of the target, from {@code /sys/bus/usb/devices/usbN}. */
    record UsbBus(int bus, String version, String speed, String controller) {
    }

    /** A running session as the agent describes it. */
    record SessionInfo(String mode, int areaWords, List<Integer> usbBuses, long commonHandle, boolean local,
            int periodMillis, String onDisconnect, long nextSequence, int bufferedBatches) {
    }
}
