package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.kcov.agent.Agent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code agent}: the coverage agent of the kcov module. Its options are parsed there, so that a target
 * machine can run the same agent with only the kcov jar ({@code java -jar kcov-VERSION.jar}).
 */
@Command(name = "agent",
        description = {"Serve this machine's kcov coverage to a KCOV Explorer window (--listen), or record one "
                + "kcov dump (--record), here or through an agent elsewhere (--connect).",
            "'agent --help' lists the options; docs/agent-protocol.md describes the protocol."})
public final class AgentCommand implements Callable<Integer> {

    @Unmatched
    List<String> arguments = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        return Agent.run(arguments.toArray(String[]::new), System.out, System.err);
    }
}
