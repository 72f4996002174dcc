package dev.kcovexplorer.kcov.agent;

/**
 * {@code java -jar kcov-<version>.jar ...}: the agent without the rest of the explorer, for a target
 * machine that has only the kcov jar, JNA and Jackson (the jar's manifest names them).
 */
public final class AgentMain {
    private AgentMain() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = Agent.run(args, System.out, System.err);
        } catch (IllegalArgumentException e) {
            System.err.println("kcov-explorer agent: " + e.getMessage());
            status = 2;
        } catch (Exception e) {
            System.err.println("kcov-explorer agent: " + e.getMessage());
            status = 1;
        }
        System.exit(status);
    }
}
