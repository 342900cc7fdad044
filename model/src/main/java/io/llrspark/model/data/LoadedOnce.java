package io.llrspark.model.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Datasets held in memory once per JVM, keyed by their source: concurrent Spark tasks of one executor share a copy
 * instead of each reading the files again.
 */
public final class LoadedOnce {
    private static final Map<ExampleSource, LabeledImages> LOADED = new ConcurrentHashMap<>();

    public interface Reader {
        LabeledImages read() throws IOException;
    }

    private LoadedOnce() {
    }

    public static LabeledImages get(ExampleSource source, Reader reader) throws IOException {
        try {
            return LOADED.computeIfAbsent(source, s -> {
                try {
                    return reader.read();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
