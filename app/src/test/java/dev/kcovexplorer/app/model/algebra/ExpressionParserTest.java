package dev.kcovexplorer.app.model.algebra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExpressionParserTest {

    @Test
    void formatsWithRealPrecedenceAndMinimalParentheses() {
        assertThat(ExpressionParser.parse("A|B&C-D").format()).isEqualTo("A | B & C - D");
        assertThat(ExpressionParser.parse("((A | B))").format()).isEqualTo("A | B");
        assertThat(ExpressionParser.parse("(A | B) & C").format()).isEqualTo("(A | B) & C");
        assertThat(ExpressionParser.parse("A - (B - C)").format()).isEqualTo("A - (B - C)");
        assertThat(ExpressionParser.parse("'usb run' ^ fuzz.v2").format()).isEqualTo("'usb run' ^ fuzz.v2");
    }

    @Test
    void treeShowsTheGrouping() {
        SetExpression e = ExpressionParser.parse("A | B & C - D");
        assertThat(e).isInstanceOf(SetExpression.Operation.class);
        SetExpression.Operation top = (SetExpression.Operation) e;
        assertThat(top.op()).isEqualTo(Operator.UNION);
        SetExpression.Operation right = (SetExpression.Operation) top.right();
        assertThat(right.op()).isEqualTo(Operator.DIFFERENCE);
        assertThat(((SetExpression.Operation) right.left()).op()).isEqualTo(Operator.INTERSECTION);
    }

    @Test
    void unknownRunNamesItsColumn() {
        RunNames<String> runs = new RunNames<>();
        runs.add(null, "first");
        runs.add("fuzz", "second");
        assertThat(runs.resolve(new SetExpression.Name("B", 1))).isEqualTo("second");
        assertThatThrownBy(() -> runs.evaluate(ExpressionParser.parse("A & B | Q"), s -> s, concat()))
                .isInstanceOf(ExpressionException.class).hasMessage("unknown run 'Q' at column 9");
        assertThatThrownBy(() -> runs.evaluate(ExpressionParser.parse("A | (fuzz - C)"), s -> s, concat()))
                .hasMessage("unknown run 'C' at column 13");
    }

    @Test
    void syntaxErrorsNameTheColumn() {
        assertError("", "empty expression: expected a run name at column 1");
        assertError("A |", "expected a run name or '(' but the expression ended at column 4");
        assertError("(A | B", "expected ')' to close the '(' at column 1 but the expression ended at column 7");
        assertError("A B", "unexpected 'B' (expected an operator | & - ^) at column 3");
        assertError("A | | B", "expected a run name or '(', found '|' at column 5");
        assertError("A)", "unmatched ')' at column 2");
        assertError("A % B", "unexpected '%' (expected an operator | & - ^) at column 3");
        assertError("A & 'B", "unclosed quote at column 5");
        assertError("A & 3", "unexpected '3' (run names start with a letter or _, or are quoted) at column 5");
    }

    @Test
    void labelsCannotHijackLetters() {
        RunNames<String> runs = new RunNames<>();
        runs.add("A", "first may call itself A");
        assertThatThrownBy(() -> runs.add("A", "x")).hasMessage("two runs are labelled 'A'");
        assertThatThrownBy(() -> runs.add("C", "x"))
                .hasMessage("label 'C' is the letter name of run 3; choose another label");
    }

    private static void assertError(String text, String message) {
        assertThatThrownBy(() -> ExpressionParser.parse(text)).isInstanceOf(ExpressionException.class)
                .hasMessage(message);
    }

    private static SetOperations<String> concat() {
        return new SetOperations<>() {
            @Override
            public String union(String a, String b) {
                return a + "|" + b;
            }

            @Override
            public String intersection(String a, String b) {
                return a + "&" + b;
            }

            @Override
            public String difference(String a, String b) {
                return a + "-" + b;
            }

            @Override
            public String symmetricDifference(String a, String b) {
                return a + "^" + b;
            }
        };
    }
}
