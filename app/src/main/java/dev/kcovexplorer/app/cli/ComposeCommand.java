package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.app.model.RunArgument;
import dev.kcovexplorer.app.model.algebra.ExpressionParser;
import dev.kcovexplorer.app.model.algebra.RunNames;
import dev.kcovexplorer.app.model.algebra.SetExpression;
import dev.kcovexplorer.app.model.algebra.SetOperations;
import dev.kcovexplorer.kcov.AtomicFiles;
import dev.kcovexplorer.kcov.CoverageRun;
import dev.kcovexplorer.kcov.DumpReader;
import dev.kcovexplorer.kcov.DumpWriter;
import dev.kcovexplorer.kcov.PcKind;
import dev.kcovexplorer.kcov.PcSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code compose EXPR NAME=FILE… [-o OUT]}: set algebra over the unique PCs of runs. */
@Command(name = "compose", mixinStandardHelpOptions = true, description = {
    "Combine the unique PCs of runs with a set expression and write the result as a text PC list.",
    "Operators, tightest first: & (intersection); - (difference) and ^ (symmetric difference); | (union).",
    "All are left-associative; parentheses group. Runs are named A, B, … (AA after Z) in the order given, "
        + "or by LABEL when given as LABEL=FILE; quote other names: 'my run'."})
final class ComposeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EXPR", description = "e.g. \"(A | B) - base\"")
    String expression;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "[LABEL=]FILE", description = "The runs.")
    List<String> runs;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Write the PC list here (never over an input).")
    Path output;

    @Mixin
    DumpOptionsMixin dump;

    @Override
    public Integer call() throws IOException {
        SetExpression parsed = ExpressionParser.parse(expression);
        RunNames<CoverageRun> names = new RunNames<>();
        List<Path> inputs = new ArrayList<>();
        for (String argument : runs) {
            RunArgument run = RunArgument.parse(argument);
            inputs.add(run.file());
            names.add(run.label(), DumpReader.read(run.file(), dump.options()));
        }
        if (output != null) {
            AtomicFiles.requireNotAnInput(output, inputs);
        }
        PcKind kind = commonKind(names);
        PcSet result = names.evaluate(parsed, CoverageRun::pcSet, SetOperations.PC_SETS);
        if (output != null) {
            DumpWriter.writeText(output, result.toArray(), kind, "kcov-explorer compose " + parsed.format());
            spec.commandLine().getOut().println(result.size() + " PCs written to " + output);
        } else {
            spec.commandLine().getOut().println(result.size() + " PCs");
        }
        return 0;
    }

    /** Sets of return addresses and of call sites do not mix: the same line has different PCs in each. */
    private static PcKind commonKind(RunNames<CoverageRun> names) {
        Set<PcKind> known = EnumSet.noneOf(PcKind.class);
        boolean anyUnknown = false;
        for (int i = 0; i < names.size(); i++) {
            PcKind kind = names.get(i).pcKind();
            if (kind == PcKind.UNKNOWN) {
                anyUnknown = true;
            } else {
                known.add(kind);
            }
        }
        if (known.size() > 1) {
            throw new IllegalArgumentException("the runs mix return addresses and call sites; convert them to one kind"
                    + " (e.g. --pc-kind) before composing");
        }
        return anyUnknown || known.isEmpty() ? PcKind.UNKNOWN : known.iterator().next();
    }
}
