package dev.kcovexplorer.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Demo scripts: one action per line with its time, comments, and mistakes named by file and line. */
class DemoScriptTest {
    @TempDir
    Path dir;

    @Test
    void readsActionsInTimeOrderSkippingComments() throws Exception {
        Path file = dir.resolve("demo.txt");
        Files.writeString(file, """
                # plug a keyboard, then traffic
                2     plug usb-kbd      # enumerates
                9.5   unplug usb-kbd
                10    freeze keyboard

                12    vhost on
                16    vhost off
                17    plug usb-storage
                """);

        DemoScript script = DemoScript.read(file);

        assertThat(script.steps()).extracting(step -> step.action().label()).containsExactly("usb-kbd plug",
                "usb-kbd unplug", "freeze keyboard", "vhost on", "vhost off", "usb-storage plug");
        assertThat(script.steps()).extracting(DemoScript.Step::seconds).containsExactly(2.0, 9.5, 10.0, 12.0, 16.0, 17.0);
        assertThat(script.steps()).extracting(DemoScript.Step::line).containsExactly(2, 3, 4, 6, 7, 8);
        assertThat(script.steps().get(2).action()).isEqualTo(DemoAction.freeze("keyboard"));
        assertThat(script.lastSeconds()).isEqualTo(17.0);
    }

    @Test
    void mistakesNameTheFileTheLineAndWhatWasExpected() {
        assertThatThrownBy(() -> DemoScript.parse("s", "1 plug usb-kbd\nsoon plug usb-kbd\n"))
                .hasMessage("s:2: 'soon' is not a time; expected SECONDS ACTION [ARG], seconds since the agent "
                        + "connected (0 to 86400)");
        assertThatThrownBy(() -> DemoScript.parse("s", "1 plug usb-printer"))
                .hasMessage("s:1: unknown device 'usb-printer', expected one of usb-kbd, usb-mouse, usb-tablet, "
                        + "usb-storage, usb-net");
        assertThatThrownBy(() -> DemoScript.parse("s", "1 vhost maybe"))
                .hasMessage("s:1: vhost 'maybe', expected vhost on or vhost off");
        assertThatThrownBy(() -> DemoScript.parse("s", "5 plug usb-kbd\n3 unplug usb-kbd"))
                .hasMessage("s:2: at 3 s, before the previous line's 5.0 s; lines run in time order");
        assertThatThrownBy(() -> DemoScript.parse("s", "1 dance"))
                .hasMessage("s:1: unknown action 'dance', expected plug, unplug, vhost or freeze");
        assertThatThrownBy(() -> DemoScript.parse("s", "1 freeze"))
                .hasMessage("s:1: missing argument, expected freeze NAME");
        assertThatThrownBy(() -> DemoScript.parse("s", "1 plug usb-kbd now"))
                .hasMessage("s:1: 'now' after plug usb-kbd: one action per line, SECONDS ACTION [ARG]");
        assertThatThrownBy(() -> DemoScript.parse("s", "7"))
                .hasMessage("s:1: no action after the time; expected plug, unplug, vhost or freeze");
        assertThatThrownBy(() -> DemoScript.parse("s", "# nothing\n"))
                .hasMessage("s: no actions; expected lines of SECONDS ACTION [ARG]");
        assertThatThrownBy(() -> DemoScript.parse("s", "1e3 vhost on"))
                .hasMessageStartingWith("s:1: '1e3' is not a time");
        assertThatThrownBy(() -> DemoScript.parse("s", "1 freeze keyboard\n# again\n3 freeze keyboard"))
                .hasMessage("s:3: freeze keyboard again (line 1 froze a run of that name); each freeze needs a NAME of"
                        + " its own");
    }
}
