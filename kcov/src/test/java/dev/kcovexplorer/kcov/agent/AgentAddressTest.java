package dev.kcovexplorer.kcov.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Agent addresses as people type them, parsed without a name lookup. */
class AgentAddressTest {

    @Test
    void hostsPortsBracketsAndDefaults() {
        assertThat(AgentAddress.parse("vm.local:7070", null, 1)).isEqualTo(new AgentAddress("vm.local", 7070));
        assertThat(AgentAddress.parse(" [::1]:7070 ", null, 1)).isEqualTo(new AgentAddress("::1", 7070));
        assertThat(AgentAddress.parse("7070", "127.0.0.1", 1)).isEqualTo(new AgentAddress("127.0.0.1", 7070));
        assertThat(AgentAddress.parse(":0", "127.0.0.1", 0)).isEqualTo(new AgentAddress("127.0.0.1", 0));
        assertThat(AgentAddress.parse("no-such-host.invalid:1", null, 1).host()).isEqualTo("no-such-host.invalid");
    }

    @Test
    void mistakesQuoteTheText() {
        assertThatThrownBy(() -> AgentAddress.parse("::1:7070", null, 1))
                .hasMessage("'::1:7070': write an IPv6 address in brackets, e.g. [::1]:7070");
        assertThatThrownBy(() -> AgentAddress.parse("vm:http", null, 1))
                .hasMessage("'vm:http' is not host:port (e.g. 127.0.0.1:7070)");
        assertThatThrownBy(() -> AgentAddress.parse("vm:0", null, 1)).hasMessage("'vm:0': port 0 is outside 1..65535");
        assertThatThrownBy(() -> AgentAddress.parse(":7070", null, 1))
                .hasMessage("':7070' names no host (e.g. 127.0.0.1:7070)");
    }
}
