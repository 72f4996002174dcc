package dev.kcovexplorer.kcov.agent;

import java.io.IOException;

/** The agent refused a request or a connection; the message is the agent's, meant for people. */
public final class AgentException extends IOException {
    private static final long serialVersionUID = 1L;

    public AgentException(String message) {
        super(message);
    }
}
