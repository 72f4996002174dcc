package dev.kcovexplorer.kcov.usb;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Chooses among options (where the next input comes from, which kind of device to generate, which corpus kind to
 * mutate) by what each one's recent tries found per second: new PCs, not how often anything was found. Counting
 * finds, a HID report mutant that brings 3 PCs weighed as much as a fresh hub that brings 80; in the campaigns of
 * 2026-12-06 fresh hubs brought 4.2 new PCs a second against 0.6–1.5 for the other kinds, with the same find rate.
 * <p>
 * An option not tried yet, or tried little, is credited with one mean try at the recent rate of all options
 * (optimism: every option is tried early and comes back when the others dry up); each option is picked with at
 * least a {@code floor} share, so none is starved for good when what it reaches changes.
 *
 * @param <K> the options
 */
final class YieldBandit<K> {
    /**
     * One try's reward is at most this many new PCs: the first device of a campaign brings thousands, and one such
     * try would hold its option's rate up for its whole window.
     */
    static final int REWARD_CAP = 200;

    private record Try(int reward, double seconds) {
    }

    /** The prior's rate counts this many windows of the last tries of all options. */
    private static final int ALL_WINDOWS = 4;

    private final int window;
    private final double floor;
    private final Map<K, ArrayDeque<Try>> recent = new HashMap<>();
    /** The options that count more or fewer of their last tries than {@link #window}, and how many. */
    private final Map<K, Integer> windows = new HashMap<>();
    private final ArrayDeque<Try> all = new ArrayDeque<>();

    /**
     * @param window how many of its last tries an option's rate counts
     * @param floor  the least share of the picks an option gets, 0 ≤ floor ≤ 1 / options
     */
    YieldBandit(int window, double floor) {
        if (window < 1 || floor < 0 || floor >= 1) {
            throw new IllegalArgumentException("window " + window + ", floor " + floor);
        }
        this.window = window;
        this.floor = floor;
    }

    /**
     * {@code option}'s rate counts its last {@code tries} instead of the window: a longer memory for an option whose
     * finds are rare and large, a shorter one for an option whose yield changes fast. Answers this bandit.
     */
    YieldBandit<K> withWindow(K option, int tries) {
        if (tries < 1) {
            throw new IllegalArgumentException("window " + tries);
        }
        windows.put(option, tries);
        return this;
    }

    /** A try of {@code option}: the new PCs it brought (fewer than {@code novelty} count as none) in {@code seconds}. */
    void record(K option, int newPcs, int novelty, double seconds) {
        Try t = new Try(newPcs < novelty ? 0 : Math.min(newPcs, REWARD_CAP), Math.max(0, seconds));
        ArrayDeque<Try> tries = recent.computeIfAbsent(option, k -> new ArrayDeque<>());
        tries.addLast(t);
        if (tries.size() > windows.getOrDefault(option, window)) {
            tries.removeFirst();
        }
        all.addLast(t);
        if (all.size() > ALL_WINDOWS * window) {
            all.removeFirst();
        }
    }

    /** The recent new PCs per second of {@code option}, with the prior of one mean try at the rate of all. */
    double rate(K option) {
        double allReward = 0;
        double allSeconds = 0;
        for (Try t : all) {
            allReward += t.reward();
            allSeconds += t.seconds();
        }
        double mean = all.isEmpty() ? 1 : Math.max(0.05, allSeconds / all.size());
        // Before any try: one PC a second, so the first picks are even.
        double prior = all.isEmpty() || allSeconds == 0 ? 1 : Math.max(allReward / allSeconds, 1e-3);
        double reward = 0;
        double seconds = 0;
        for (Try t : recent.getOrDefault(option, new ArrayDeque<>())) {
            reward += t.reward();
            seconds += t.seconds();
        }
        return (reward + mean * prior) / (seconds + mean);
    }

    /**
     * The share of the picks each of {@code options} gets now, in their order: the floor (at most an even split),
     * and the rest by rate.
     */
    double[] shares(List<K> options) {
        double[] shares = new double[options.size()];
        double total = 0;
        for (int i = 0; i < shares.length; i++) {
            shares[i] = rate(options.get(i));
            total += shares[i];
        }
        double least = Math.min(floor, 1.0 / shares.length);
        for (int i = 0; i < shares.length; i++) {
            shares[i] = least + (1 - least * shares.length) * shares[i] / total;
        }
        return shares;
    }

    /** One of {@code options} (not empty), drawn by {@link #shares}. */
    K pick(List<K> options, SplittableRandom random) {
        double[] shares = shares(options);
        double pick = random.nextDouble();
        for (int i = 0; i < shares.length; i++) {
            pick -= shares[i];
            if (pick < 0) {
                return options.get(i);
            }
        }
        return options.get(options.size() - 1);
    }
}
