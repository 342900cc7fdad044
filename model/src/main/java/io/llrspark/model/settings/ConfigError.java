package io.llrspark.model.settings;

/** A bad configuration: the message names the key (and, when known, where it was set). */
public class ConfigError extends RuntimeException {
    public ConfigError(String message) {
        super(message);
    }

    public ConfigError(String message, Throwable cause) {
        super(message, cause);
    }
}
