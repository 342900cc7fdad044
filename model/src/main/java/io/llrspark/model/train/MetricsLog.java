package io.llrspark.model.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llrspark.model.storage.Storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
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

    /**
     * Loads the lines of an earlier run up to {@code iteration}: later ones belong to work a resume repeats. A last
     * line cut short (a write killed mid-way on a file system that does not publish files whole) is dropped with a
     * warning on {@code log}; a bad line before it is an error naming the file and the line.
     */
    @SuppressWarnings("unchecked")
    void loadUpTo(long iteration, PrintStream log) throws IOException {
        lines.clear();
        if (!storage.exists(path)) {
            return;
        }
        String[] all;
        try (InputStream in = storage.open(path)) {
            all = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
        }
        int last = all.length - 1;
        while (last >= 0 && all[last].isBlank()) {
            last--;
        }
        for (int k = 0; k <= last; k++) {
            if (all[k].isBlank()) {
                continue;
            }
            Map<String, Object> m;
            try {
                m = JSON.readValue(all[k], Map.class);
            } catch (JsonProcessingException e) {
                if (k == last) {
                    log.printf("warning: %s: its last line (%d) is cut short; dropped, the resumed run logs that "
                            + "interval again%n", path, k + 1);
                    break;
                }
                throw new IOException(path + ", line " + (k + 1) + ": not a JSON object (" + e.getOriginalMessage()
                        + ")", e);
            }
            if (((Number) m.getOrDefault("iteration", 0)).longValue() <= iteration) {
                lines.add(m);
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
