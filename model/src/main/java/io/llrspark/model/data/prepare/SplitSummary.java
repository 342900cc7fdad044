package io.llrspark.model.data.prepare;

import io.llrspark.model.data.prepared.ClassIndex;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** A split's shards and counts, gathered from its shards' outcomes: what the manifest says about the split. */
public final class SplitSummary {
    private final String split;
    private final List<ShardOutcome> shards = new ArrayList<>();
    private final int[] perLabel;
    private final EnumMap<SkipReason, Integer> skips = new EnumMap<>(SkipReason.class);
    private final List<ShardOutcome.Skipped> skipped = new ArrayList<>();
    private long files;
    private long examples;

    public SplitSummary(String split, int classes, List<ShardOutcome> outcomes) {
        this.split = split;
        this.perLabel = new int[classes];
        for (SkipReason r : SkipReason.values()) {
            skips.put(r, 0);
        }
        outcomes.stream().filter(o -> o.split().equals(split)).sorted(Comparator.comparingInt(ShardOutcome::index))
                .forEach(this::add);
        skipped.sort(Comparator.comparing(ShardOutcome.Skipped::file));
    }

    private void add(ShardOutcome o) {
        shards.add(o);
        files += o.files();
        examples += o.examples();
        for (int i = 0; i < perLabel.length; i++) {
            perLabel[i] += o.examplesPerLabel()[i];
        }
        for (ShardOutcome.Skipped s : o.skipped()) {
            skips.merge(s.reason(), 1, Integer::sum);
            skipped.add(s);
        }
    }

    public String split() {
        return split;
    }

    public long files() {
        return files;
    }

    public long examples() {
        return examples;
    }

    public long skippedCount() {
        return files - examples;
    }

    public List<ShardOutcome.Skipped> skipped() {
        return skipped;
    }

    public List<ShardOutcome> shards() {
        return shards;
    }

    public double badFraction() {
        return files == 0 ? 0 : skippedCount() / (double) files;
    }

    /** "12 of 1000 files skipped (1.2 %: corrupt 2, zero_byte 10)" */
    public String skipLine() {
        String reasons = skips.entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey().key() + " " + e.getValue()).collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "%d of %d files skipped (%.1f %%%s)", skippedCount(), files,
                100 * badFraction(), reasons.isEmpty() ? "" : ": " + reasons);
    }

    Map<String, Object> toJson(ClassIndex classes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("files", files);
        m.put("examples", examples);
        m.put("skipped", skippedCount());
        Map<String, Object> reasons = new LinkedHashMap<>();
        skips.forEach((r, n) -> reasons.put(r.key(), n));
        m.put("skipped_by_reason", reasons);
        Map<String, Object> perClass = new LinkedHashMap<>();
        for (int i = 0; i < perLabel.length; i++) {
            perClass.put(classes.name(i), perLabel[i]);
        }
        m.put("examples_per_class", perClass);
        List<Map<String, Object>> shardList = new ArrayList<>();
        for (ShardOutcome o : shards) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("path", o.path());
            s.put("examples", o.examples());
            s.put("bytes", o.bytes());
            s.put("sha256", o.sha256());
            shardList.add(s);
        }
        m.put("shards", shardList);
        m.put("skipped_files", skipped.stream().map(ShardOutcome.Skipped::toJson).toList());
        return m;
    }
}
