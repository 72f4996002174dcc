package dev.kcovexplorer.kcov.agent;

import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.kcov.live.KcovDevice;
import dev.kcovexplorer.kcov.usb.FocusPoints;
import dev.kcovexplorer.kcov.usb.UsbFuzzer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;

/** The agent's command line, parsed by hand so the agent needs nothing but the kcov module's jars. */
final class AgentOptions {
    static final String USAGE = """
            Usage: kcov-explorer agent --listen [ADDR:]PORT... [--token-file F] [--device PATH | --replay DUMP]
                   kcov-explorer agent --record OUT (--usb-bus N... [--common X] | --local) [--seconds S]
                                       [--mode pc|cmp] [--area-words N] [--exercise vhost-net]
                                       [--connect HOST:PORT [--token-file F]]
                   kcov-explorer agent --fuzz-usb --out DIR [--seconds S] [--guided|--blind]
                                       [--snapshot-every S] [--seed N] [--name NAME] [--udc NAME]
                                       [--connection-ms N] [--idle-ms N] [--focus POINTS]

            Serves kcov coverage of this machine to a KCOV Explorer window (--listen), records one kcov
            dump (--record), from this machine's kcov or from an agent elsewhere (--connect), or fuzzes
            USB devices through raw-gadget on dummy_hcd and writes the campaign's coverage (--fuzz-usb).

              --listen [ADDR:]PORT  serve on ADDR (default 127.0.0.1; port 0: any free one, logged);
                                    any address other than loopback needs --token-file. Repeatable: each
                                    address is a session of its own with its own kcov area, so remote
                                    sources collected apart (USB buses here, a common handle there) never
                                    mix in one area
              --token-file F        the shared secret clients must prove they know (first line of F, at
                                    least 16 bytes, the file not readable by others)
              --device PATH         the kcov device (default /sys/kernel/debug/kcov)
              --replay DUMP         serve a recorded kcov dump instead of this machine's kcov, as if the
                                    recorded kernel ran now (demos, machines without kcov)
              --replay-per-drain N  entries the replay hands out per drain (default 5000)
              --record OUT          write a kcov area dump (little-endian words, word 0 = count) to OUT,
                                    and where the modules are loaded to OUT.layout (needs root)
              --usb-bus N           collect USB bus N remotely (hub_event, URB completions); repeatable,
                                    or N,M,...
              --common X            collect the common handle X (decimal or 0x hex) remotely
              --local               trace the agent's own kcov thread instead
              --seconds S           how long to record (default 10); SIGTERM ends it early, still writing OUT
              --mode pc|cmp         trace PCs (default) or comparison operands
              --area-words N        kcov area size in words (default 1048576)
              --period-ms N         how often the area is drained (default 200)
              --exercise vhost-net  meanwhile drive a vhost-net device owned by the kcov thread, so
                                    vhost_worker runs under the common handle (needs --common)
              --connect HOST:PORT   record through the agent listening there
              --fuzz-usb            emulate generated and mutated USB devices on dummy_udc through
                                    /dev/raw-gadget, collecting the remote coverage of the dummy bus only;
                                    DIR becomes a campaign (a snapshot dump every --snapshot-every seconds,
                                    campaign.json, and the corpus); runs --seconds (default 10)
              --guided | --blind    keep inputs that reached new coverage and mutate them, also with the
                                    values the kernel compared theirs with (TRACE_CMP replays; default),
                                    or generate every device from scratch (half of them mutated, with the
                                    same mutator and no coverage feedback)
              --snapshot-every S    seconds between snapshots (default 10)
              --seed N              the random seed (default: the time)
              --name NAME           the series' name in campaign.json (default guided or blind)
              --udc NAME            the UDC to bind to (default: the first dummy_udc.N)
              --connection-ms N     the most one device is served before it is unplugged (default 2000);
                                    a dwelling device then waits up to 1.2 s for the host to suspend it,
                                    and one plugged in again is served once more
              --idle-ms N           unplug a configured device after this long without a request (default 300)
              --focus POINTS        guided: only new PCs at these coverage points (call sites, one 0x-hex
                                    a line, as `kcov-explorer points` prints them, filtered to the code to
                                    fuzz) steer its choices of input and device kind; new PCs anywhere
                                    still join the corpus (syzkaller's coverage filter)
            """;

    static final int MIN_TOKEN_BYTES = 16;
    static final String HOW_TO_MAKE_A_TOKEN = "make one with: (umask 077; head -c 32 /dev/urandom | base64 > FILE)";

    final List<InetSocketAddress> listen = new ArrayList<>();
    Path tokenFile;
    Path device = KcovDevice.DEFAULT_PATH;
    Path replay;
    int replayPerDrain = 5000;
    Path record;
    String connectHost;
    int connectPort;
    final List<Integer> usbBuses = new ArrayList<>();
    long common;
    boolean local;
    double seconds = 10;
    TraceMode mode = TraceMode.PC;
    int areaWords = CollectionPlan.DEFAULT_AREA_WORDS;
    int periodMillis = CollectionPlan.DEFAULT_PERIOD_MILLIS;
    boolean exerciseVhostNet;
    boolean help;
    boolean fuzzUsb;
    boolean guided = true;
    Path out;
    double snapshotEvery = 10;
    long seed = System.nanoTime();
    String name;
    String udc;
    long connectionMillis = 2000;
    long idleMillis = 300;
    Path focus;

    /** Parses {@code args}; {@link IllegalArgumentException} messages say what is wrong. */
    static AgentOptions parse(String... args) {
        AgentOptions options = new AgentOptions();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("-h") || option.equals("--help")) {
                options.help = true;
                continue;
            }
            if (option.equals("--local")) {
                options.local = true;
                continue;
            }
            if (option.equals("--fuzz-usb") || option.equals("--guided") || option.equals("--blind")) {
                options.fuzzUsb |= option.equals("--fuzz-usb");
                options.guided = option.equals("--fuzz-usb") ? options.guided : option.equals("--guided");
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option.startsWith("--") ? option + " needs a value"
                        : "unexpected argument '" + option + "'");
            }
            String value = args[++i];
            switch (option) {
                case "--listen" -> options.listen.add(AgentAddress.parse(value, "127.0.0.1", 0).resolve());
                case "--token-file" -> options.tokenFile = Path.of(value);
                case "--device" -> options.device = Path.of(value);
                case "--replay" -> options.replay = Path.of(value);
                case "--replay-per-drain" -> options.replayPerDrain = (int) parseNumber(option, value, 1, Integer.MAX_VALUE);
                case "--record" -> options.record = Path.of(value);
                case "--connect" -> {
                    AgentAddress address = AgentAddress.parse(value, null, 1);
                    options.connectHost = address.host();
                    options.connectPort = address.port();
                }
                case "--usb-bus" -> {
                    for (String bus : value.split(",")) {
                        options.usbBuses.add((int) parseNumber(option, bus, 1, Integer.MAX_VALUE));
                    }
                }
                case "--common" -> options.common = parseNumber(option, value, 1, 0xffff_ffffL);
                case "--seconds" -> options.seconds = parseSeconds(value);
                case "--mode" -> options.mode = TraceMode.parse(value);
                case "--area-words" -> options.areaWords = (int) parseNumber(option, value, 2, Integer.MAX_VALUE / 8);
                case "--period-ms" -> options.periodMillis = (int) parseNumber(option, value, 10, 60_000);
                case "--out" -> options.out = Path.of(value);
                case "--snapshot-every" -> options.snapshotEvery = parseNumber(option, value, 1, 86_400);
                case "--seed" -> options.seed = parseNumber(option, value, Long.MIN_VALUE, Long.MAX_VALUE);
                case "--name" -> options.name = value;
                case "--udc" -> options.udc = value;
                case "--focus" -> options.focus = Path.of(value);
                case "--connection-ms" -> options.connectionMillis = parseNumber(option, value, 100, 600_000);
                case "--idle-ms" -> options.idleMillis = parseNumber(option, value, 10, 600_000);
                case "--exercise" -> {
                    if (!value.equals("vhost-net")) {
                        throw new IllegalArgumentException("--exercise '" + value + "': the one workload is vhost-net");
                    }
                    options.exerciseVhostNet = true;
                }
                default -> throw new IllegalArgumentException("unknown option " + option + " (see --help)");
            }
        }
        int modes = (options.listen.isEmpty() ? 0 : 1) + (options.record == null ? 0 : 1) + (options.fuzzUsb ? 1 : 0);
        if (!options.help && modes != 1) {
            throw new IllegalArgumentException("give either --listen [ADDR:]PORT, --record OUT or --fuzz-usb --out DIR"
                    + " (see --help)");
        }
        if (options.fuzzUsb && options.out == null) {
            throw new IllegalArgumentException("--fuzz-usb writes a campaign directory: give --out DIR");
        }
        if (options.replay != null && options.listen.isEmpty()) {
            throw new IllegalArgumentException("--replay serves a dump: use it with --listen");
        }
        if (options.exerciseVhostNet && (options.common == 0 || options.connectHost != null || options.record == null)) {
            throw new IllegalArgumentException("--exercise vhost-net records this machine's kcov and needs --common X");
        }
        return options;
    }

    /** The campaign's options; reads the --focus file (an {@link IOException} names its bad line). */
    UsbFuzzer.Options fuzzOptions() throws IOException {
        return new UsbFuzzer.Options(seconds, guided, snapshotEvery, out,
                name != null ? name : guided ? "guided" : "blind", seed, connectionMillis, idleMillis, udc, device,
                areaWords, focus == null ? null : FocusPoints.read(focus));
    }

    CollectionPlan plan() {
        return new CollectionPlan(mode, areaWords, usbBuses.stream().mapToInt(Integer::intValue).toArray(), common,
                local, periodMillis, false);
    }

    /**
     * The token from {@link #tokenFile}, or null without one. The file must not be readable by others
     * and the token must be long enough to resist guessing; the refusal says how to make a good one.
     */
    String token() throws IOException {
        if (tokenFile == null) {
            return null;
        }
        String token;
        try {
            token = Files.readString(tokenFile).lines().findFirst().orElse("").strip();
        } catch (NoSuchFileException e) {
            throw new IOException("token file " + tokenFile + " does not exist; " + HOW_TO_MAKE_A_TOKEN, e);
        } catch (AccessDeniedException e) {
            throw new IOException("token file " + tokenFile + " is not readable", e);
        } catch (MalformedInputException e) {
            throw new IllegalArgumentException("token file " + tokenFile + " is not UTF-8 text; " + HOW_TO_MAKE_A_TOKEN);
        }
        if (worldReadable(tokenFile)) {
            throw new IllegalArgumentException("token file " + tokenFile + " is readable by every user of this "
                    + "machine: chmod 600 " + tokenFile);
        }
        if (token.isEmpty()) {
            throw new IllegalArgumentException("token file " + tokenFile + " is empty: its first line is the token; "
                    + HOW_TO_MAKE_A_TOKEN);
        }
        int bytes = token.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < MIN_TOKEN_BYTES) {
            throw new IllegalArgumentException("the token in " + tokenFile + " has " + bytes + " bytes, fewer than "
                    + MIN_TOKEN_BYTES + " are too easy to guess; " + HOW_TO_MAKE_A_TOKEN);
        }
        return token;
    }

    private static boolean worldReadable(Path file) throws IOException {
        try {
            return Files.getPosixFilePermissions(file).contains(PosixFilePermission.OTHERS_READ);
        } catch (UnsupportedOperationException notPosix) {
            return false;
        }
    }

    private static long parseNumber(String what, String text, long min, long max) {
        long value;
        try {
            String trimmed = text.trim();
            value = trimmed.startsWith("0x") || trimmed.startsWith("0X")
                    ? Long.parseUnsignedLong(trimmed.substring(2), 16) : Long.parseLong(trimmed);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + text + "' is not a number");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " " + text + " is outside " + min + ".." + max);
        }
        return value;
    }

    private static double parseSeconds(String text) {
        try {
            double seconds = Double.parseDouble(text);
            if (seconds > 0 && seconds <= 86_400) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new IllegalArgumentException("--seconds '" + text + "': expected a duration in seconds, up to a day");
    }
}
