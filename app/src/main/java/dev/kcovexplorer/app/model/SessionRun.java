package dev.kcovexplorer.app.model;


/**
 * One run in a session: the input, its colour, and the points it resolved to with the figures that
 * say how. Immutable; renaming or recolouring makes a new instance through the session.
 */
public final class SessionRun {
    private final RunInput input;
    private final String label;
    private final String colour;
    private final String remoteSource;
    private final PointCoverage points;
    private final AttributionFigures figures;
    private final ComparisonCoverage comparisons;
    private final SeriesPoint seriesPoint;
    private final SeriesCut seriesCut;

    SessionRun(RunInput input, String label, String colour, String remoteSource, PointCoverage points,
               AttributionFigures figures, ComparisonCoverage comparisons, SeriesPoint seriesPoint,
               SeriesCut seriesCut) {
        this.comparisons = comparisons;
        this.seriesPoint = seriesPoint;
        this.seriesCut = seriesCut;
        this.input = input;
        this.label = label;
        this.colour = colour;
        this.remoteSource = remoteSource;
        this.points = points;
        this.figures = figures;
    }

    public String label() {
        return label;
    }

    /** The series this run is a snapshot of, with its time, or null for a run of its own. */
    public SeriesPoint seriesPoint() {
        return seriesPoint;
    }

    /** How the campaign of this snapshot's series was cut short, or null (not cut, or no series' snapshot). */
    public SeriesCut seriesCut() {
        return seriesCut;
    }

    /** "#rrggbb". */
    public String colour() {
        return colour;
    }

    /** "USB bus 1", "common 0x42", "local task", or null when unknown. */
    public String remoteSource() {
        return remoteSource;
    }

    /** True for a run of a local task (KCOV_ENABLE), which collects every line the task runs, remote sections or not. */
    public boolean isLocal() {
        return remoteSource != null && remoteSource.toLowerCase(java.util.Locale.ROOT).startsWith("local");
    }

    /** "pc" or "cmp". */
    public String mode() {
        return input.mode();
    }

    /** Where the boot that recorded this run had its modules, or null when unknown. */
    public dev.kcovexplorer.kcov.ModuleLayout layout() {
        return input.layout();
    }

    /** The dump's file name, or null. */
    public String sourceFile() {
        return input.sourceFile();
    }

    /** Trace length of the dump. */
    public long entries() {
        return input.entries();
    }

    public boolean overflow() {
        return input.overflow();
    }

    public int uniquePcCount() {
        return input.uniquePcs().length;
    }

    /** The sorted unique PCs as recorded; never mutate. */
    public long[] uniquePcs() {
        return input.uniquePcs();
    }

    /** Trace occurrences per unique PC, or null; never mutate. */
    public int[] hitCounts() {
        return input.hitCounts();
    }

    public PointCoverage points() {
        return points;
    }

    public AttributionFigures figures() {
        return figures;
    }

    /**
     * A CMP run resolved on the index's comparison sites, or null: a PC run, or a CMP run in a session
     * whose index predates comparison sites.
     */
    public ComparisonCoverage comparisons() {
        return comparisons;
    }

    /**
     * What a user should know about this run, or null: a comparison-mode run in a session made before
     * comparison sites were indexed (it colours no lines), or PCs that do not belong to the vmlinux.
     */
    public String warning() {
        if (input.isComparisonMode() && comparisons == null) {
            return "comparison-mode (TRACE_CMP) run in a session made before comparison sites were indexed:"
                    + " it colours no lines (create the session again to see its comparisons)";
        }
        return figures.warning();
    }

    /** The input this run was made from, with the reading that was decided. */
    public RunInput input() {
        return new RunInput(label, colour, remoteSource, input.mode(), input.sourceFile(), input.entries(),
                input.overflow(), input.uniquePcs(), input.hitCounts(), figures.reading(), input.comparisons(),
                input.layout());
    }

    /** Whether this run holds {@code data} itself (the same object), whatever it was renamed or recoloured to since. */
    public boolean isMadeFrom(RunInput data) {
        return input == data;
    }

    /** This run, made from the data {@code original} was made from (the same object): resolved again, the same run. */
    SessionRun madeFromTheDataOf(SessionRun original) {
        return new SessionRun(original.input, label, colour, remoteSource, points, figures, comparisons, seriesPoint,
                seriesCut);
    }

    SessionRun withLabel(String newLabel) {
        return new SessionRun(input, newLabel, colour, remoteSource, points, figures, comparisons, seriesPoint, seriesCut);
    }

    SessionRun inSeries(String newLabel, SeriesPoint newPoint) {
        return new SessionRun(input, newLabel, colour, remoteSource, points, figures, comparisons, newPoint, seriesCut);
    }

    SessionRun withColour(String newColour) {
        return new SessionRun(input, label, newColour, remoteSource, points, figures, comparisons, seriesPoint, seriesCut);
    }

    SessionRun withRemoteSource(String newRemoteSource) {
        return new SessionRun(input, label, colour, newRemoteSource, points, figures, comparisons, seriesPoint, seriesCut);
    }

    @Override
    public String toString() {
        return label;
    }
}
