package dev.kcovexplorer.app.demo;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A hands-free demo: one action per line, {@code SECONDS ACTION [ARG]}, seconds counted from the moment the
 * agent connected, {@code #} starting a comment:
 * <pre>
 *   2   plug usb-kbd
 *   10  unplug usb-kbd
 *   11  freeze keyboard
 *   12  vhost on
 *   16  vhost off
 * </pre>
 * Actions: {@code plug DEVICE}, {@code unplug DEVICE} (usb-kbd, usb-mouse, usb-tablet, usb-storage, usb-net),
 * {@code vhost on|off}, {@code freeze NAME} (what arrived since the previous freeze, as a run named NAME).
 */
public record DemoScript(List<Step> steps) {
    /** One line: when, and what. */
    public record Step(double seconds, DemoAction action, int line) {
    }

    public DemoScript {
        steps = List.copyOf(steps);
    }

    /** Reads {@code file}; a mistake is an {@link IllegalArgumentException} naming the file, the line and what was expected. */
    public static DemoScript read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw new IllegalArgumentException(file + ": not UTF-8 text; a demo script is lines of SECONDS ACTION [ARG]");
        }
        return parse(file.toString(), text);
    }

    /** Parses {@code text}; errors name {@code name} and the line. */
    public static DemoScript parse(String name, String text) {
        List<Step> steps = new ArrayList<>();
        Map<String, Integer> freezes = new HashMap<>();
        String[] lines = text.split("\r?\n", -1);
        double previous = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            String[] words = (hash < 0 ? line : line.substring(0, hash)).trim().split("\\s+");
            if (words.length == 1 && words[0].isEmpty()) {
                continue;
            }
            String where = name + ":" + (i + 1) + ": ";
            double seconds = seconds(words[0], where);
            if (seconds < previous) {
                throw new IllegalArgumentException(where + "at " + words[0] + " s, before the previous line's " + previous
                        + " s; lines run in time order");
            }
            previous = seconds;
            DemoAction action = action(words, where);
            if (action.kind() == DemoAction.Kind.FREEZE) {
                // Said now, not when the guest has booted and the second freeze is reached (a run's name is unique).
                Integer first = freezes.putIfAbsent(action.name(), i + 1);
                if (first != null) {
                    throw new IllegalArgumentException(where + "freeze " + action.name() + " again (line " + first
                            + " froze a run of that name); each freeze needs a NAME of its own");
                }
            }
            steps.add(new Step(seconds, action, i + 1));
        }
        if (steps.isEmpty()) {
            throw new IllegalArgumentException(name + ": no actions; expected lines of SECONDS ACTION [ARG]");
        }
        return new DemoScript(steps);
    }

    /** When the last action happens, in seconds after the agent connected. */
    public double lastSeconds() {
        return steps.get(steps.size() - 1).seconds();
    }

    private static double seconds(String word, String where) {
        try {
            double seconds = Double.parseDouble(word);
            if (seconds >= 0 && seconds <= 86_400 && !word.matches(".*[a-zA-Z].*")) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(where + "'" + word + "' is not a time; expected SECONDS ACTION [ARG], "
                + "seconds since the agent connected (0 to 86400)");
    }

    private static DemoAction action(String[] words, String where) {
        if (words.length < 2) {
            throw new IllegalArgumentException(where + "no action after the time; expected plug, unplug, vhost or freeze");
        }
        String verb = words[1];
        String argument = words.length > 2 ? words[2] : null;
        if (words.length > 3) {
            throw new IllegalArgumentException(where + "'" + words[3] + "' after " + verb + " " + argument
                    + ": one action per line, SECONDS ACTION [ARG]");
        }
        try {
            return switch (verb) {
                case "plug" -> DemoAction.plug(DemoDevice.byDriver(required(argument, "plug DEVICE")));
                case "unplug" -> DemoAction.unplug(DemoDevice.byDriver(required(argument, "unplug DEVICE")));
                case "vhost" -> switch (required(argument, "vhost on|off")) {
                    case "on" -> DemoAction.vhost(true);
                    case "off" -> DemoAction.vhost(false);
                    default -> throw new IllegalArgumentException("vhost '" + argument + "', expected vhost on or vhost off");
                };
                case "freeze" -> DemoAction.freeze(required(argument, "freeze NAME"));
                default -> throw new IllegalArgumentException("unknown action '" + verb
                        + "', expected plug, unplug, vhost or freeze");
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + e.getMessage());
        }
    }

    private static String required(String argument, String usage) {
        if (argument == null) {
            throw new IllegalArgumentException("missing argument, expected " + usage);
        }
        return argument;
    }
}
