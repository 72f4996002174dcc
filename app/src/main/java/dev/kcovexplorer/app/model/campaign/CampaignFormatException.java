package dev.kcovexplorer.app.model.campaign;

import java.io.IOException;
import java.nio.file.Path;

/** A campaign directory or its manifest is not what it should be; the message names the file and the field. */
public final class CampaignFormatException extends IOException {
    public CampaignFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
