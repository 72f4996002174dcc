package dev.kcovexplorer.app.ui;

import dev.kcovexplorer.app.model.Session;
import dev.kcovexplorer.app.model.SessionRun;
import dev.kcovexplorer.app.ui.live.LiveViewModel;

/**
 * The Live window's coverage as a run of the session shown, {@value #LABEL}: it grows as coverage arrives
 * and every view follows, and it can be frozen into a run of its own. A target kernel that is not the
 * session's vmlinux is named in a warning, since its PCs would match nothing here, or the wrong lines.
 */
final class LiveRuns {
    /** The label the live run takes when the session has no run of that name. */
    static final String LABEL = "live";

    private final MainViewModel model;
    private final SessionController sessions;
    // The live run of the session shown: its label ("live", or "live_2"… when that was taken) and the
    // run the last update made, to tell it from a user's run given the label later.
    private Session session;
    private String label;
    private SessionRun run;

    LiveRuns(MainViewModel model, SessionController sessions) {
        this.model = model;
        this.sessions = sessions;
        LiveViewModel live = model.live();
        live.setOnCoverageChanged(newPcs -> {
            if (sessions.session() != null) {
                String current = label();
                sessions.putRun(current, () -> live.freeze(current), put -> run = put);
            }
        });
        live.kernelBuildIdProperty().addListener((obs, old, buildId) -> warnIfAnotherKernel());
    }

    /** Freezes the live coverage so far into a normal run named {@code frozenLabel}; the live run goes on. */
    void freeze(String frozenLabel) {
        LiveViewModel live = model.live();
        sessions.addRun(() -> live.freeze(frozenLabel));
    }

    /** Connected first and the session opened after, or the other way round: either way, said once known. */
    void warnIfAnotherKernel() {
        String theirs = model.live().kernelBuildIdProperty().get();
        Session shown = sessions.session();
        String ours = shown == null ? null : shown.index().buildId();
        if (theirs != null && ours != null && !theirs.equalsIgnoreCase(ours)) {
            model.setWarning("the agent's kernel (build id " + theirs + ") is not this session's vmlinux (build id "
                    + ours + "): its PCs will not match");
        }
    }

    /**
     * Chosen free the first time in a session, then kept while the run under it is the one the last live
     * update made. If the user renamed or removed the live run and gave its label to another run, that
     * run is theirs: the live run takes a new free label instead.
     */
    private String label() {
        Session shown = sessions.session();
        boolean taken = run != null && shown.run(label).filter(existing -> existing != run).isPresent();
        if (session != shown || taken) {
            session = shown;
            label = sessions.freeLabel(LABEL);
            run = null;
        }
        return label;
    }
}
