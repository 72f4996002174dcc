package dev.kcovexplorer.app.cli;

import dev.kcovexplorer.kcov.DumpFormat;
import dev.kcovexplorer.kcov.DumpOptions;
import dev.kcovexplorer.kcov.PcKind;
import dev.kcovexplorer.kcov.TraceMode;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** The options that override what the dump reader would detect, shared by every command that reads dumps. */
final class DumpOptionsMixin {
    @Option(names = "--format", paramLabel = "binary|text|rawcover", converter = FormatConverter.class,
            description = "Read inputs as this format instead of detecting it (rawcover: a text list of call sites).")
    DumpFormat format;

    @Option(names = "--word-size", paramLabel = "4|8",
            description = "Word size of binary areas in bytes instead of detecting it.")
    int wordSize;

    @Option(names = "--mode", paramLabel = "pc|cmp", converter = ModeConverter.class,
            description = "Trace mode of binary areas instead of detecting it.")
    TraceMode mode;

    @Option(names = "--pc-kind", paramLabel = "return-address|call-site|unknown", converter = KindConverter.class,
            description = "What the PCs are, overriding the format's default.")
    PcKind pcKind;

    @Option(names = "--max-entries", paramLabel = "N",
            description = "Refuse files that declare more PCs or CMP records than this (default 2^28, or the"
                    + " system property " + DumpOptions.MAX_ENTRIES_PROPERTY + ").")
    Long maxEntries;

    DumpOptions options() {
        DumpOptions options = new DumpOptions(format, wordSize, mode, pcKind);
        return maxEntries == null ? options : options.withMaxEntries(maxEntries);
    }

    static final class FormatConverter implements ITypeConverter<DumpFormat> {
        @Override
        public DumpFormat convert(String value) {
            return DumpFormat.parse(value);
        }
    }

    static final class ModeConverter implements ITypeConverter<TraceMode> {
        @Override
        public TraceMode convert(String value) {
            return TraceMode.parse(value);
        }
    }

    static final class KindConverter implements ITypeConverter<PcKind> {
        @Override
        public PcKind convert(String value) {
            return PcKind.parse(value);
        }
    }
}
