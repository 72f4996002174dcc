package dev.kcovexplorer.app.model.algebra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kcovexplorer.kcov.PcSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * The expression language against java.util sets: every law and every precedence rule is checked
 * by parsing text, evaluating it over PC sets, and comparing with the same computation done by hand
 * on TreeSets.
 */
class SetAlgebraPropertiesTest {
    private static final long BASE = 0xffffffff81000000L;

    private record Runs(RunNames<TreeSet<Long>> names, TreeSet<Long> a, TreeSet<Long> b, TreeSet<Long> c) {
    }

    private static Runs runs(List<Long> a, List<Long> b, List<Long> c) {
        RunNames<TreeSet<Long>> names = new RunNames<>();
        TreeSet<Long> sa = kernel(a);
        TreeSet<Long> sb = kernel(b);
        TreeSet<Long> sc = kernel(c);
        names.add(null, sa);
        names.add(null, sb);
        names.add("base", sc);
        return new Runs(names, sa, sb, sc);
    }

    private static TreeSet<Long> kernel(List<Long> offsets) {
        TreeSet<Long> set = new TreeSet<>();
        offsets.forEach(o -> set.add(BASE + o));
        return set;
    }

    /** Parses and evaluates over PcSets, converted back for comparison. */
    private static Set<Long> eval(String expression, Runs runs) {
        PcSet result = runs.names().evaluate(ExpressionParser.parse(expression),
                set -> PcSet.fromUnsorted(set.stream().mapToLong(Long::longValue).toArray()),
                SetOperations.PC_SETS);
        TreeSet<Long> out = new TreeSet<>();
        for (long pc : result.toArray()) {
            out.add(pc);
        }
        return out;
    }

    private static final JavaSets J = JavaSets.OPS;

    @Property(tries = 150)
    void eachOperatorIsItsJavaUtilCounterpart(@ForAll("offsets") List<Long> a, @ForAll("offsets") List<Long> b,
                                              @ForAll("offsets") List<Long> c) {
        Runs r = runs(a, b, c);
        assertThat(eval("A | B", r)).isEqualTo(J.union(r.a(), r.b()));
        assertThat(eval("A & B", r)).isEqualTo(J.intersection(r.a(), r.b()));
        assertThat(eval("A - B", r)).isEqualTo(J.difference(r.a(), r.b()));
        assertThat(eval("A ^ B", r)).isEqualTo(J.symmetricDifference(r.a(), r.b()));
        assertThat(eval("base", r)).isEqualTo(r.c());
        assertThat(eval("C", r)).isEqualTo(r.c());
    }

    @Property(tries = 150)
    void precedenceAndAssociativity(@ForAll("offsets") List<Long> a, @ForAll("offsets") List<Long> b,
                                    @ForAll("offsets") List<Long> c) {
        Runs r = runs(a, b, c);
        // & binds tighter than |, - and ^
        assertThat(eval("A | B & C", r)).isEqualTo(J.union(r.a(), J.intersection(r.b(), r.c())));
        assertThat(eval("A - B & C", r)).isEqualTo(J.difference(r.a(), J.intersection(r.b(), r.c())));
        assertThat(eval("A & B ^ C", r)).isEqualTo(J.symmetricDifference(J.intersection(r.a(), r.b()), r.c()));
        // - and ^ bind tighter than |
        assertThat(eval("A | B - C", r)).isEqualTo(J.union(r.a(), J.difference(r.b(), r.c())));
        assertThat(eval("A - B | C", r)).isEqualTo(J.union(J.difference(r.a(), r.b()), r.c()));
        assertThat(eval("A ^ B | C", r)).isEqualTo(J.union(J.symmetricDifference(r.a(), r.b()), r.c()));
        // - and ^ share a level, left to right
        assertThat(eval("A - B ^ C", r)).isEqualTo(J.symmetricDifference(J.difference(r.a(), r.b()), r.c()));
        assertThat(eval("A ^ B - C", r)).isEqualTo(J.difference(J.symmetricDifference(r.a(), r.b()), r.c()));
        assertThat(eval("A - B - C", r)).isEqualTo(J.difference(J.difference(r.a(), r.b()), r.c()));
        // parentheses override
        assertThat(eval("(A | B) & C", r)).isEqualTo(J.intersection(J.union(r.a(), r.b()), r.c()));
        assertThat(eval("A - (B - C)", r)).isEqualTo(J.difference(r.a(), J.difference(r.b(), r.c())));
    }

    @Property(tries = 150)
    void algebraicLaws(@ForAll("offsets") List<Long> a, @ForAll("offsets") List<Long> b,
                       @ForAll("offsets") List<Long> c) {
        Runs r = runs(a, b, c);
        assertLaw(r, "A | B", "B | A");
        assertLaw(r, "A & B", "B & A");
        assertLaw(r, "A ^ B", "B ^ A");
        assertLaw(r, "(A | B) | C", "A | (B | C)");
        assertLaw(r, "(A & B) & C", "A & (B & C)");
        assertLaw(r, "(A ^ B) ^ C", "A ^ (B ^ C)");
        assertLaw(r, "A & (B | C)", "A & B | A & C");
        assertLaw(r, "A | B & C", "(A | B) & (A | C)");
        assertLaw(r, "A - (B | C)", "(A - B) & (A - C)");
        assertLaw(r, "A - (B & C)", "(A - B) | (A - C)");
        assertLaw(r, "A ^ B", "(A - B) | (B - A)");
        assertLaw(r, "A - B", "A - A & B");
        assertLaw(r, "A | A", "A");
        assertLaw(r, "A & A", "A");
        assertLaw(r, "A | A & B", "A");
        assertThat(eval("A - A", r)).isEmpty();
        assertThat(eval("A ^ A", r)).isEmpty();
    }

    private static void assertLaw(Runs r, String left, String right) {
        assertThat(eval(left, r)).as(left + " == " + right).isEqualTo(eval(right, r));
    }

    @Property(tries = 200)
    void randomExpressionsMatchJavaUtilAndSurviveFormatting(@ForAll("expressions") SetExpression expression,
                                                            @ForAll("offsets") List<Long> a,
                                                            @ForAll("offsets") List<Long> b,
                                                            @ForAll("offsets") List<Long> c) {
        Runs r = runs(a, b, c);
        TreeSet<Long> expected = r.names().evaluate(expression, set -> set, J);
        String text = expression.format();
        assertThat(eval(text, r)).as(text).isEqualTo(expected);
        assertThat(ExpressionParser.parse(text).format()).isEqualTo(text);
    }

    @Provide
    Arbitrary<List<Long>> offsets() {
        // A small universe makes overlaps between the sets common.
        return Arbitraries.longs().between(0, 40).list().ofMaxSize(25);
    }

    @Provide
    Arbitrary<SetExpression> expressions() {
        Arbitrary<SetExpression> leaf = Arbitraries.of("A", "B", "C", "base")
                .map(n -> new SetExpression.Name(n, 1));
        return Arbitraries.lazyOf(
                () -> leaf,
                () -> leaf,
                () -> net.jqwik.api.Combinators.combine(Arbitraries.of(Operator.class), expressions(), expressions())
                        .as((op, l, r) -> new SetExpression.Operation(op, l, r, 1)));
    }

    @Property
    void letterNamesCountLikeSpreadsheetColumns(@ForAll @LongRange(min = 0, max = 500_000) long index) {
        String name = RunNames.letterName((int) index);
        assertThat(name).matches("[A-Z]+");
        assertThat(RunNames.letterIndex(name)).isEqualTo((int) index);
    }

    @Property(tries = 50)
    void moreThan26RunsAreNamedByTwoLetters(@ForAll @Size(min = 30, max = 30) List<@LongRange(min = 0, max = 9) Long> seeds) {
        RunNames<TreeSet<Long>> names = new RunNames<>();
        for (int i = 0; i < seeds.size(); i++) {
            names.add(null, kernel(List.of(seeds.get(i), (long) i)));
        }
        TreeSet<Long> expected = J.intersection(names.get(26), names.get(29));
        assertThat(names.evaluate(ExpressionParser.parse("AA & AD"), set -> set, J)).isEqualTo(expected);
    }
}
