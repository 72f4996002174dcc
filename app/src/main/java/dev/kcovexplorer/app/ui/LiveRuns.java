package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.live.LiveCollector;
import dev.kcovexplorer.app.live.LiveSessionRun;
import dev.kcovexplorer.app.model.ErrorText;
import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.SessionRun;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/**
 * The Live window's coverage in the session shown: one run, {@value LiveSessionRun#LABEL}, kept up to date
 * by a {@link LiveSessionRun} while every view follows, and frozen into runs of their own on request. A
 * target kernel that is not the session's vmlinux is named in a warning, since its PCs would match nothing
 * here, or the wrong lines.
 */
final class LiveRuns {
    private final MainViewModel model;
    private final SessionController sessions;
    private final LiveCollector collector;
    private final LiveSessionRun liveRun;

    LiveRuns(MainViewModel model, SessionController sessions) {
        this.model = model;
        this.sessions = sessions;
        this.collector = model.liveCollector();
        this.liveRun = new LiveSessionRun(collector, new LiveSessionRun.Listener() {
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
            public void failed(Session session, RuntimeException error) {
                model.tasks().uiThread().execute(() -> model.setWarning("Updating the live run: " + ErrorText.of(error)));
            }
        });
        model.live().kernelBuildIdProperty().addListener((obs, old, buildId) -> warnIfAnotherKernel());
    }

    /** The session shown changed: the live run belongs to it now, and what was received already goes in. */
    void show(Session shown) {
        liveRun.show(shown);
        warnIfAnotherKernel();
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
