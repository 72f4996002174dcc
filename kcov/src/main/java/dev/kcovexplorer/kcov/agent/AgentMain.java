package dev.kcovexplorer.kcov.agent;

import java.util.Arrays;

/**
 * {@code java -jar kcov-<version>.jar ...}: the agent without the rest of the explorer, for a target
 * machine that has only the kcov jar, JNA and Jackson (the jar's manifest names them), or the
 * self-contained {@code kcov-explorer-agent-<version>.jar} that packaging/build makes.
 */
public final class AgentMain {
    private AgentMain() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = Agent.run(withoutCommandName(args), System.out, System.err);
        } catch (IllegalArgumentException e) {
            System.err.println("kcov-explorer agent: " + e.getMessage());
            status = 2;
        } catch (Exception e) {
            System.err.println("kcov-explorer agent: " + e.getMessage());
            status = 1;
        }
        System.exit(status);
    }

    /**
     * {@code java -jar AGENT.jar agent --listen 7070} reads like {@code kcov-explorer agent --listen 7070}:
     * the command name is accepted and dropped, as the agent has no other command.
     */
    static String[] withoutCommandName(String[] args) {
        return args.length > 0 && args[0].equals("agent") ? Arrays.copyOfRange(args, 1, args.length) : args;
    }
}
