package dev.kcovexplorer.app.launch;

/**
 * What the window shows once loading has finished (the `--view` of `open`, and what a snapshot shows):
 * {@code tree} (the window as opened), {@code editor:PATH} (that file, scrolled to its first covered line),
 * {@code editor:PATH@FUNCTION} (that file at that function), {@code diff:A,B} (diff mode, A against B) or
 * {@code live} (the Live tool window in front). Parsed by the CLI before any window exists.
 */
public record StartView(String kind, String argument, String function, String second) {

    public static StartView parse(String text) {
        if (text == null || text.isBlank() || text.equals("tree")) {
            return new StartView("tree", null, null, null);
        }
        if (text.equals("live")) {
            return new StartView("live", null, null, null);
        }
        if (text.startsWith("editor:") && text.length() > "editor:".length()) {
            String target = text.substring("editor:".length());
            int at = target.lastIndexOf('@');
            if (at > 0 && at < target.length() - 1) {
                return new StartView("editor", target.substring(0, at), target.substring(at + 1), null);
            }
            return new StartView("editor", target, null, null);
        }
        if (text.startsWith("diff:")) {
            String[] sides = text.substring("diff:".length()).split(",", -1);
            if (sides.length == 2 && !sides[0].isBlank() && !sides[1].isBlank()) {
                return new StartView("diff", sides[0].trim(), null, sides[1].trim());
            }
        }
        throw new IllegalArgumentException("--view must be tree, editor:PATH[@FUNCTION], diff:A,B or live, not '"
                + text + "'");
    }
}
