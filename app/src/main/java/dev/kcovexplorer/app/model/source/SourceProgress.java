package dev.kcovexplorer.app.model.source;

/**
 * One progress report of {@link SourceProvider#prepare}: what is happening now and how far it is, as a
 * fraction in 0..1, or a negative fraction when the step cannot measure itself (a download by apt-get).
 */
public record SourceProgress(String message, double fraction) {
}
