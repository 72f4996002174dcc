package dev.kcovexplorer.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --debug}, declared once for both roots ({@link KcovExplorerCommand} and the one-branch trunk) and
 * inherited by every command under them; the error handler reads it from the parse result.
 */
final class DebugOption {
    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces for errors.")
    boolean debug;
}
