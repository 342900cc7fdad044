package io.llrspark.model.data;

/** A dataset file that is missing or malformed; the message names the file and the problem. */
public class DataFormatException extends RuntimeException {
    public DataFormatException(String file, String problem) {
        super(file + ": " + problem);
    }

    public DataFormatException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
