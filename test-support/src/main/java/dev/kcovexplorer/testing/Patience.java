package dev.kcovexplorer.testing;

/**
 * How long a test waits for what it asserts before it fails: a minute. Each wait is on the asserted condition itself
 * (the run holds every PC, the killed process is gone, the FX thread's answer), so this only bounds a failure: a
 * machine busy with much else (a CI runner, other builds) merely delays the condition, and what went wrong never
 * brings it. The product's own limits stay the product's; this is not one of them.
 */
public final class Patience {
    /** The limit of a test's wait, in seconds. */
    public static final int SECONDS = 60;

    private Patience() {
    }
}
