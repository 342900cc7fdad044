package io.llrspark.model.data.prepare;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What writing one shard produced.
 *
 * @param examplesPerLabel examples by label (index = label)
 * @param skipped          the files left out, with the reason and the decoder's or storage's message
 */
public record ShardOutcome(String split, int index, String path, int files, int examples, long bytes, String sha256,
                           int[] examplesPerLabel, List<Skipped> skipped) implements Serializable {

    /** A file left out of the shard. */
    public record Skipped(String file, SkipReason reason, String detail) implements Serializable {
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", file);
            m.put("reason", reason.key());
            m.put("detail", detail);
            return m;
        }
    }
}
