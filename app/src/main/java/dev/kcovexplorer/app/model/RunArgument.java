package dev.kcovexplorer.app.model;

import java.nio.file.Path;

/**
 * A run or series as the command line and the window's launch arguments name it: {@code FILE}, or
 * {@code LABEL=FILE} where the label is everything before the first {@code =} ({@code usb-kbd=run.bin},
 * {@code 'syz 2'=DIR}), as any run label may be written (expressions quote what is no plain name). A {@code /}
 * before the first {@code =} makes the whole argument a path ({@code runs/a=b.bin}).
 *
 * @param label the label given, or null
 */
public record RunArgument(String label, Path file) {
    public static RunArgument parse(String argument) {
        int eq = argument.indexOf('=');
        if (eq > 0) {
            String label = argument.substring(0, eq);
            if (!label.isBlank() && label.indexOf('/') < 0) {
                return new RunArgument(label, Path.of(argument.substring(eq + 1)));
            }
        }
        return new RunArgument(null, Path.of(argument));
    }
}
