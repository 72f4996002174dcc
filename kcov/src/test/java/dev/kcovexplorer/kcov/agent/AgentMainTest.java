package dev.kcovexplorer.kcov.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The agent jar takes the explorer's spelling ({@code agent --listen …}) as well as its own ({@code --listen …}). */
class AgentMainTest {

    @Test
    void leadingCommandNameIsDropped() {
        assertThat(AgentMain.withoutCommandName(new String[] {"agent", "--listen", "7070"}))
                .containsExactly("--listen", "7070");
    }

    @Test
    void optionsAloneAreKept() {
        assertThat(AgentMain.withoutCommandName(new String[] {"--listen", "7070"})).containsExactly("--listen", "7070");
        assertThat(AgentMain.withoutCommandName(new String[0])).isEmpty();
    }

    @Test
    void agentAsAnOptionValueIsKept() {
        assertThat(AgentMain.withoutCommandName(new String[] {"--record", "agent"})).containsExactly("--record", "agent");
    }
}
