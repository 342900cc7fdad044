package io.llrspark.model.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llrspark.model.storage.Storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code metrics.jsonl} of a run: one JSON object per logged window. Rewritten whole on every append, because object
 * stores cannot append; the file is small (one line per log interval).
 */
final class MetricsLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Storage storage;
    private final String path;
    private final List<Map<String, Object>> lines = new ArrayList<>();

    MetricsLog(Storage storage, String runDirectory) {
        this.storage = storage;
        this.path = storage.resolve(runDirectory, "metrics.jsonl");
    }

    /** Loads the lines of an earlier run up to {@code iteration}: later ones belong to work a resume repeats. */
    @SuppressWarnings("unchecked")
    void loadUpTo(long iteration) throws IOException {
        lines.clear();
        if (!storage.exists(path)) {
            return;
        }
        try (InputStream in = storage.open(path)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    Map<String, Object> m = JSON.readValue(line, Map.class);
                    if (((Number) m.getOrDefault("iteration", 0)).longValue() <= iteration) {
                        lines.add(m);
                    }
                }
            }
        }
    }

    void append(Map<String, Object> line) throws IOException {
        lines.add(line);
        try (OutputStream out = storage.create(path)) {
            for (Map<String, Object> l : lines) {
                out.write(JSON.writeValueAsBytes(l));
                out.write('\n');
            }
        }
    }

    Map<String, Object> last() {
        return lines.isEmpty() ? Map.of() : lines.get(lines.size() - 1);
    }
}
