package dev.kcovexplorer.kcov.agent;

import java.net.InetSocketAddress;

/**
 * Where an agent listens, as people type it: {@code HOST:PORT}, {@code [V6]:PORT}, or {@code :PORT} and
 * {@code PORT} on a default host. Parsing looks no name up, so it can run where the text is typed.
 * Used by the agent's {@code --listen} and {@code --connect} and by the window's Live tab.
 */
public record AgentAddress(String host, int port) {

    /**
     * @param defaultHost the host when the text names none, or null when one is required
     * @param lowestPort  0 where "any free port" makes sense (listening), else 1
     * @throws IllegalArgumentException with a message for people that quotes the text
     */
    public static AgentAddress parse(String text, String defaultHost, int lowestPort) {
        String trimmed = text == null ? "" : text.trim();
        int colon = trimmed.lastIndexOf(':');
        String host = colon < 0 ? "" : trimmed.substring(0, colon);
        boolean bracketed = host.startsWith("[") && host.endsWith("]");
        if (bracketed) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("'" + trimmed + "': write an IPv6 address in brackets, e.g. [::1]:7070");
        }
        int port;
        try {
            port = Integer.parseInt(trimmed.substring(colon + 1));
        } catch (NumberFormatException notANumber) {
            throw new IllegalArgumentException("'" + trimmed + "' is not host:port (e.g. 127.0.0.1:7070)");
        }
        if (port < lowestPort || port > 65535) {
            throw new IllegalArgumentException("'" + trimmed + "': port " + port + " is outside " + lowestPort + "..65535");
        }
        if (host.isEmpty()) {
            if (defaultHost == null) {
                throw new IllegalArgumentException("'" + trimmed + "' names no host (e.g. 127.0.0.1:7070)");
            }
            host = defaultHost;
        }
        return new AgentAddress(host, port);
    }

    /** The socket address; resolves the host name. */
    public InetSocketAddress resolve() {
        return new InetSocketAddress(host, port);
    }
}
