package dev.kcovexplorer.app.ui.live;

import dev.kcovexplorer.kcov.TraceMode;
import dev.kcovexplorer.kcov.agent.CollectionPlan;
import dev.kcovexplorer.kcov.live.CoverageArea;
import java.util.Arrays;
import java.util.Locale;

/**
 * The Live window's start form as typed: USB buses ("1, 2"), a common handle ("0x42"), the area size in
 * words ("1M", "65536"). {@link #toPlan} turns it into a {@link CollectionPlan} or explains, in one
 * sentence naming the field, why it cannot. No JavaFX.
 */
public record CollectionForm(TraceMode mode, String usbBuses, String commonHandle, String areaWords, boolean local,
        boolean keepOnDisconnect) {
    /**
     * How often the agent drains and sends: twice as often as the agent's 200 ms default, so batches
     * arrive faster than the window's {@link LiveViewModel#UPDATE_MILLIS} updates and every update has news.
     */
    static final int PERIOD_MILLIS = 100;

    /** @throws IllegalArgumentException with a message for people that names the field */
    public CollectionPlan toPlan() {
        int[] buses = parseBuses(usbBuses);
        long common = parseCommonHandle(commonHandle);
        int words = parseAreaWords(areaWords);
        if (!local && buses.length == 0 && common == 0) { // the window offers no local tracing: say what it does offer
            throw new IllegalArgumentException("Nothing to collect: give USB buses (e.g. 1, 2) or a common handle (e.g. 0x42)");
        }
        try {
            return new CollectionPlan(mode, words, local ? new int[0] : buses, local ? 0 : common, local,
                    PERIOD_MILLIS, keepOnDisconnect);
        } catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException(capitalized(invalid.getMessage()), invalid);
        }
    }

    static int[] parseBuses(String text) {
        String trimmed = text == null ? "" : text.trim();
        if (trimmed.isEmpty()) {
            return new int[0];
        }
        return Arrays.stream(trimmed.split("[,\\s]+")).mapToInt(part -> {
            try {
                return Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("USB buses: '" + part + "' is not a bus number (expected e.g. 1, 2)");
            }
        }).toArray();
    }

    static long parseCommonHandle(String text) {
        String trimmed = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (trimmed.isEmpty()) {
            return 0;
        }
        try {
            return trimmed.startsWith("0x") ? Long.parseUnsignedLong(trimmed.substring(2), 16) : Long.parseLong(trimmed);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Common handle: '" + text.trim() + "' is not a number (expected e.g. 0x42)");
        }
    }

    /** Words, with an optional K or M suffix (binary: 1M = 1,048,576 words = 8 MiB on 64-bit). */
    static int parseAreaWords(String text) {
        String trimmed = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
        if (trimmed.isEmpty()) {
            return CollectionPlan.DEFAULT_AREA_WORDS;
        }
        int shift = trimmed.endsWith("K") ? 10 : trimmed.endsWith("M") ? 20 : 0;
        String digits = shift == 0 ? trimmed : trimmed.substring(0, trimmed.length() - 1).trim();
        long count = -1;
        try {
            count = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            // explained below
        }
        if (count < 0) {
            throw new IllegalArgumentException("Area size: '" + text.trim() + "' is not a word count (expected e.g. 1M or 65536)");
        }
        if (count > (CoverageArea.MAX_WORDS >> shift)) { // checked before shifting: no wrap-around
            throw new IllegalArgumentException("Area size: '" + text.trim() + "' is more than kcov accepts (at most "
                    + CoverageArea.MAX_WORDS + " words)");
        }
        return (int) (count << shift);
    }

    private static String capitalized(String message) {
        return message.isEmpty() ? message : Character.toUpperCase(message.charAt(0)) + message.substring(1);
    }
}
