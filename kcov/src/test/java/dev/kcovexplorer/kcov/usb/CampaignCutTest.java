package dev.kcovexplorer.kcov.usb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a campaign's manifest says of its end, whichever came first: a death, a signal, or its time running out. */
class CampaignCutTest {
    @Test
    void aSignalCutsACampaignShortAtItsEnd() {
        CampaignCut cut = new CampaignCut();
        cut.signal();
        assertThat(cut.reason()).isEqualTo(CampaignCut.SIGNAL);
        assertThat(cut.at(42.5)).isEqualTo(42.5);
    }

    /** The death is the reason whichever came first: the signal's text would hide why the curve went flat. */
    @Test
    void aDeathIsTheReasonOverASignalEitherWay() {
        CampaignCut signalFirst = new CampaignCut();
        signalFirst.signal();
        signalFirst.death("the kernel oopsed (tainted D, see dmesg)", 71.3);
        CampaignCut deathFirst = new CampaignCut();
        deathFirst.death("the kernel oopsed (tainted D, see dmesg)", 71.3);
        deathFirst.signal();
        deathFirst.death("the bus answered no request in 6 connections in a row", 90);
        for (CampaignCut cut : new CampaignCut[] {signalFirst, deathFirst}) {
            assertThat(cut.reason()).isEqualTo("the kernel oopsed (tainted D, see dmesg)");
            assertThat(cut.at(120)).isEqualTo(71.3);
        }
    }

    /**
     * A campaign that ran its whole time was not cut short by a SIGTERM during its last connection or its last
     * writes (the capture's timeout, a user's Ctrl-C as it ended): the old fuzzer wrote "stopped by a signal".
     */
    @Test
    void aSignalAfterTheLastSnapshotCutsNothing() {
        CampaignCut during = new CampaignCut();
        during.signal();
        during.ranItsTime();
        CampaignCut after = new CampaignCut();
        after.ranItsTime();
        after.signal();
        assertThat(during.reason()).isNull();
        assertThat(after.reason()).isNull();
    }

    @Test
    void aDeathStaysWhenTheTimeRanOutToo() {
        CampaignCut cut = new CampaignCut();
        cut.death("the kernel oopsed (dmesg: divide error: 0000 [#1] PREEMPT SMP NOPTI)", 299.2);
        cut.ranItsTime();
        assertThat(cut.reason()).startsWith("the kernel oopsed");
        assertThat(cut.at(301)).isEqualTo(299.2);
    }
}
