package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.live.LiveCollector;
import dev.kcovexplorer.app.live.LiveSessionRun;
import dev.kcovexplorer.app.model.ErrorText;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.SessionRun;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The Live window's coverage in the session shown: one run, {@value LiveSessionRun#LABEL}, kept up to date
 * by a {@link LiveSessionRun} while every view follows, and frozen into runs of their own on request; and the
 * Demo VM's two, {@value #USB_LABEL} and {@value #VHOST_LABEL}. A
 * target kernel that is not the session's vmlinux is named in a warning, since its PCs would match nothing
 * here, or the wrong lines.
 */
final class LiveRuns {
    /** The Demo VM's live run of the guest's USB buses. */
    static final String USB_LABEL = "live usb";
    /** The Demo VM's live run of the vhost common handle. */
    static final String VHOST_LABEL = "live vhost";

    private final MainViewModel model;
    private final SessionController sessions;
    private final LiveCollector collector;
    private final List<LiveSessionRun> liveRuns = new ArrayList<>();

    LiveRuns(MainViewModel model, SessionController sessions) {
        this.model = model;
        this.sessions = sessions;
        this.collector = model.liveCollector();
        follow(collector, LiveSessionRun.LABEL);
        // The Demo VM's two sessions paint apart: hub.c from the USB buses, vhost.c from the common handle.
        follow(model.demo().vm().usbCollector(), USB_LABEL);
        follow(model.demo().vm().vhostCollector(), VHOST_LABEL);
        model.live().kernelBuildIdProperty().addListener((obs, old, buildId) -> warnIfAnotherKernel());
    }

    private void follow(LiveCollector source, String label) {
        liveRuns.add(new LiveSessionRun(source, label, new LiveSessionRun.Listener() {
            @Override
            public void writing(Session session) {
                model.tasks().uiThread().execute(() -> model.setLiveStatus("Updating the live run\u2026"));
            }

            @Override
            public void settled(Session session, boolean more) {
                if (!more) {
                    String at = LocalTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
                    model.tasks().uiThread().execute(() -> model.setLiveStatus("Live run updated at " + at));
                }
            }

            @Override
            public void written(Session session, SessionRun run) {
                model.tasks().uiThread().execute(() -> sessions.liveRunsChanged(session));
            }

            @Override
            public void leftOut(Session session, String warning) {
                model.tasks().uiThread().execute(() -> model.setWarning("Live run '" + label + "': " + warning));
            }

            @Override
            public void failed(Session session, RuntimeException error) {
                model.tasks().uiThread().execute(() -> model.setWarning("Updating the live run: " + ErrorText.of(error)));
            }
        }));
    }

    /** The session shown changed: the live run belongs to it now, and what was received already goes in. */
    void show(Session shown) {
        liveRuns.forEach(run -> run.show(shown));
        warnIfAnotherKernel();
    }

    /** Whether every live run holds everything its collection received. */
    boolean settled() {
        return liveRuns.stream().allMatch(LiveSessionRun::isSettled);
    }

    /** Freezes the live coverage so far into a normal run named {@code frozenLabel}; the live run goes on. */
    void freeze(String frozenLabel) {
        sessions.addRun(() -> collector.freeze(frozenLabel));
    }

    /** Connected first and the session opened after, or the other way round: either way, said once known. */
    private void warnIfAnotherKernel() {
        String theirs = model.live().kernelBuildIdProperty().get();
        Session shown = sessions.session();
        String ours = shown == null ? null : shown.index().buildId();
        if (theirs != null && ours != null && !theirs.equalsIgnoreCase(ours)) {
            model.setWarning("the agent's kernel (build id " + theirs + ") is not this session's vmlinux (build id "
                    + ours + "): its PCs will not match");
        }
    }
}
