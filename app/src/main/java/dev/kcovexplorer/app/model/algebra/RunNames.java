package dev.kcovexplorer.app.model.algebra;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The names runs go by in expressions: every run has a letter name by position ({@code A}..{@code Z},
 * then {@code AA}, {@code AB}, … like spreadsheet columns) and may have a label. A label may not be
 * another run's letter name, so a name always means one run.
 */
public final class RunNames<T> {
    private final List<T> runs = new ArrayList<>();
    private final Map<String, Integer> labels = new HashMap<>();

    /** Adds the next run; {@code label} may be null. Returns its letter name. */
    public String add(String label, T run) {
        int index = runs.size();
        String letter = letterName(index);
        if (label != null) {
            if (labels.containsKey(label)) {
                throw new IllegalArgumentException("two runs are labelled '" + label + "'");
            }
            int letterIndex = letterIndex(label);
            if (letterIndex >= 0 && letterIndex != index) {
                throw new IllegalArgumentException("label '" + label + "' is the letter name of run "
                        + (letterIndex + 1) + "; choose another label");
            }
            labels.put(label, index);
        }
        runs.add(run);
        return letter;
    }

    /**
     * Lets {@code name} also mean run {@code index} (a series' name meaning its latest snapshot), unless it
     * already means a run: labels and letter names win.
     */
    public void alias(String name, int index) {
        if (index < 0 || index >= runs.size()) {
            throw new IndexOutOfBoundsException("no run " + index + " of " + runs.size());
        }
        if (!labels.containsKey(name) && letterIndex(name) < 0) {
            labels.put(name, index);
        }
    }

    public int size() {
        return runs.size();
    }

    public T get(int index) {
        return runs.get(index);
    }

    /** The run a name in an expression means, or an error pointing at the name's column. */
    public T resolve(SetExpression.Name name) {
        Integer labelled = labels.get(name.name());
        if (labelled != null) {
            return runs.get(labelled);
        }
        int index = letterIndex(name.name());
        if (index >= 0 && index < runs.size()) {
            return runs.get(index);
        }
        String nearest = NearestName.of(name.name(), labels.keySet());
        throw new ExpressionException("unknown run '" + name.name() + "'"
                + (nearest == null ? "" : " (did you mean '" + nearest + "'?)"), name.column());
    }

    /** Resolves every name of {@code expression} without computing anything: its first unknown name throws. */
    public void check(SetExpression expression) {
        expression.evaluate(name -> {
            resolve(name);
            return null;
        }, SetOperations.IGNORE);
    }

    /**
     * Runs named by their labels in order (null = no label); a label that is another run's letter name
     * is not used, so that letter keeps meaning its own run.
     */
    public static <T> RunNames<T> of(List<String> labels, List<T> runs) {
        RunNames<T> names = new RunNames<>();
        for (int i = 0; i < runs.size(); i++) {
            try {
                names.add(labels.get(i), runs.get(i));
            } catch (IllegalArgumentException clash) {
                names.add(null, runs.get(i));
            }
        }
        return names;
    }

    /** Evaluates an expression over these runs. */
    public <S> S evaluate(SetExpression expression, java.util.function.Function<T, S> set, SetOperations<S> ops) {
        return expression.evaluate(name -> set.apply(resolve(name)), ops);
    }

    /** 0 → A, 25 → Z, 26 → AA, 27 → AB, 701 → ZZ, 702 → AAA. */
    public static String letterName(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("negative run index " + index);
        }
        StringBuilder name = new StringBuilder();
        int n = index + 1;
        while (n > 0) {
            n--;
            name.append((char) ('A' + n % 26));
            n /= 26;
        }
        return name.reverse().toString();
    }

    /** The inverse of {@link #letterName(int)}, or -1 when {@code name} is not upper-case letters. */
    public static int letterIndex(String name) {
        if (name.isEmpty() || name.length() > 6) {
            return -1;
        }
        int n = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 'A' || c > 'Z') {
                return -1;
            }
            n = n * 26 + (c - 'A' + 1);
        }
        return n - 1;
    }
}
