package dev.kcovexplorer.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command answers {@code --help} with its usage, as people expect, not with a missing-argument error. */
class HelpOptionTest {

    @Test
    void everyCommandPrintsItsUsageForHelp() {
        List<List<String>> commands = new ArrayList<>();
        collect(new CommandLine(new KcovExplorerCommand()), new ArrayList<>(), commands);
        assertThat(commands).hasSizeGreaterThan(15);

        for (List<String> command : commands) {
            List<String> args = new ArrayList<>(command);
            args.add("--help");
            CliRunner.Result result = CliRunner.run(args.toArray(String[]::new));
            assertThat(result.status()).as(String.join(" ", args) + ": " + result.err()).isZero();
            assertThat(result.out()).as(String.join(" ", args)).startsWith("Usage: kcov-explorer " + String.join(" ", command));
        }
    }

    /**
     * picocli wraps each description string on its own, so a sentence split across two strings breaks its
     * line early in the help ("lcov\n(genhtml, Coverage Gutters),\nfunccover"): every string ends a sentence.
     */
    @Test
    void descriptionsWrapAsOneParagraphPerSentence() {
        List<List<String>> commands = new ArrayList<>();
        commands.add(List.of());
        collect(new CommandLine(new KcovExplorerCommand()), new ArrayList<>(), commands);
        for (List<String> path : commands) {
            CommandLine command = new CommandLine(new KcovExplorerCommand());
            for (String name : path) {
                command = command.getSubcommands().get(name);
            }
            for (String line : command.getCommandSpec().usageMessage().description()) {
                assertThat(line).as("kcov-explorer " + String.join(" ", path)).matches("(?s).*[.:;]");
            }
        }
    }

    /**
     * A command line is parsed with its first command's branch alone ({@link KcovExplorerCommand#parserFor}): every
     * command reads the same there as in the whole tree, down to its help, and help and unknown names get the tree.
     */
    @Test
    void aBranchAloneHasTheSameCommandsAsTheWholeTree() {
        List<List<String>> commands = new ArrayList<>();
        collect(new CommandLine(new KcovExplorerCommand()), new ArrayList<>(), commands);
        for (List<String> path : commands) {
            CommandLine whole = new CommandLine(new KcovExplorerCommand());
            CommandLine branch = KcovExplorerCommand.parserFor(path.toArray(String[]::new));
            assertThat(branch.getSubcommands()).as(String.join(" ", path)).containsOnlyKeys(path.get(0));
            for (String name : path) {
                whole = whole.getSubcommands().get(name);
                branch = branch.getSubcommands().get(name);
            }
            assertThat(branch.getUsageMessage(CommandLine.Help.Ansi.OFF)).as(String.join(" ", path))
                    .isEqualTo(whole.getUsageMessage(CommandLine.Help.Ansi.OFF));
        }
        int all = new CommandLine(new KcovExplorerCommand()).getSubcommands().size();
        for (String first : List.of("help", "--help", "-V", "no-such-command", "")) {
            assertThat(KcovExplorerCommand.parserFor(first).getSubcommands()).as(first).hasSize(all);
        }
    }

    /**
     * {@code --debug}, the root's option a command runs with, may come before it: the command is found after it, a
     * session file still means {@code open} (the launcher script reads the command line the same way).
     */
    @Test
    void theCommandIsFoundAfterTheDebugOption() {
        assertThat(KcovExplorerCommand.parserFor("--debug", "info").getSubcommands()).containsOnlyKeys("info");
        assertThat(KcovExplorerCommand.parserFor("--debug=true", "report").getSubcommands()).containsOnlyKeys("report");
        CliRunner.Result result = CliRunner.run("--debug", "demo.kcovx", "--help");
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("Usage: kcov-explorer open ");
    }

    /**
     * What {@code --debug} is set to decides whether a failing command prints its stack trace, wherever the option
     * stands: {@code --debug=false} before the command printed one, {@code --debug=true} after it did not.
     */
    @Test
    void theDebugOptionsValueDecidesTheStackTraceWhereverItStands(@org.junit.jupiter.api.io.TempDir Path dir) {
        String absent = dir.resolve("absent.kcovx").toString();
        for (String[] quiet : new String[][] {{"--debug=false", "report", "--session", absent},
            {"report", "--debug=false", "--session", absent}, {"report", "--session", absent}}) {
            CliRunner.Result result = CliRunner.run(quiet);
            assertThat(result.status()).isEqualTo(1);
            assertThat(result.err().lines()).as(String.join(" ", quiet))
                    .containsExactly("kcov-explorer: no such file: " + absent);
        }
        for (String[] debug : new String[][] {{"--debug", "report", "--session", absent},
            {"--debug=true", "report", "--session", absent}, {"report", "--debug=true", "--session", absent},
            {"report", "--debug", "--session", absent}}) {
            CliRunner.Result result = CliRunner.run(debug);
            assertThat(result.status()).isEqualTo(1);
            assertThat(result.err()).as(String.join(" ", debug)).contains("java.nio.file.NoSuchFileException")
                    .contains("\tat ");
        }
    }

    @Test
    void openHelpStatesWhatTheWindowShowsByDefault() {
        CliRunner.Result result = CliRunner.run("open", "--help");
        assertThat(result.out().replaceAll("\\s+", " ")).contains("default: tree, the project tree;")
                .contains("the bundled demo, opened when nothing else is given, as kcov-explorer with no command opens it, at "
                        + dev.kcovexplorer.app.ui.DemoSession.START_VIEW + ")");
    }

    /** Every sub-command's path, but the agent's (it parses its own options, --help included). */
    private static void collect(CommandLine line, List<String> path, List<List<String>> into) {
        for (Map.Entry<String, CommandLine> sub : line.getSubcommands().entrySet()) {
            if (sub.getKey().equals("agent") || sub.getKey().equals("help")) {
                continue;
            }
            List<String> subPath = new ArrayList<>(path);
            subPath.add(sub.getKey());
            into.add(subPath);
            collect(sub.getValue(), subPath, into);
        }
    }
}
