package io.llrspark.model.checkpoint;

import io.llrspark.model.data.DataFormatException;

/** A committed checkpoint whose files do not match what was committed, or cannot be read back as a network. */
public final class CorruptCheckpointException extends DataFormatException {
    private final String checkpoint;

    CorruptCheckpointException(String checkpoint, String file, String problem, Throwable cause) {
        super(file, "corrupt checkpoint: " + problem, cause);
        this.checkpoint = checkpoint;
    }

    /** The checkpoint's directory. */
    public String checkpoint() {
        return checkpoint;
    }
}
