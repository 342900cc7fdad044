package io.llrspark.model.data.prepare;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.llrspark.model.settings.ConfigChecks;
import io.llrspark.model.settings.ConfigError;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code llr.prepare} section: what prepare-data reads, how it cuts shards and how many bad files it tolerates.
 * Validated at start-up, each problem named by its key.
 *
 * @param input          root of the ImageNet-layout tree (local path or Hadoop URI)
 * @param output         directory for the shards, class-index.json and manifest.json
 * @param splits         the splits to prepare, in order ({@link #TRAIN}, {@link #VAL})
 * @param valLayout      {@link #FOLDERS} ({@code val/<wnid>/<file>}) or {@link #FLAT} ({@code val/<file>} plus labels)
 * @param valLabels      the flat layout's labels file, resolved against {@code input} when relative ("" otherwise)
 * @param shardSize      files per shard (the shard holds fewer examples when some of them are skipped)
 * @param maxBadFraction skipped files of a split, as a fraction of its files, above which the job fails
 * @param seed           seed of the shuffle that spreads classes over shards
 */
public record PrepareConfig(String input, String output, List<String> splits, String valLayout, String valLabels,
                            int shardSize, double maxBadFraction, long seed) implements Serializable {
    public static final String PREFIX = "llr.prepare";
    public static final String TRAIN = "train";
    public static final String VAL = "val";
    public static final String FOLDERS = "folders";
    public static final String FLAT = "flat";

    public static PrepareConfig from(Config merged) {
        try {
            Config c = merged.getConfig(PREFIX);
            String input = trimSlash(ConfigChecks.nonEmpty(c, PREFIX, "input"));
            String output = trimSlash(ConfigChecks.nonEmpty(c, PREFIX, "output"));
            List<String> splits = c.getStringList("splits");
            if (splits.isEmpty() || !Set.of(TRAIN, VAL).containsAll(splits) || Set.copyOf(splits).size() != splits.size()) {
                throw new ConfigError(PREFIX + ".splits: must list train and/or val once each, got " + splits);
            }
            String layout = ConfigChecks.oneOf(c, PREFIX, "val-layout", Set.of(FOLDERS, FLAT));
            String labels = c.getString("val-labels").trim();
            if (layout.equals(FLAT) && splits.contains(VAL) && labels.isEmpty()) {
                throw new ConfigError(PREFIX + ".val-labels: needed with val-layout = flat (a file of lines "
                        + "\"<file name> <wnid>\")");
            }
            double maxBad = c.getDouble("max-bad-fraction");
            if (!(maxBad >= 0 && maxBad <= 1)) {
                throw new ConfigError(PREFIX + ".max-bad-fraction: must lie in [0, 1], got " + maxBad);
            }
            for (String split : splits) {
                String dir = input + "/" + split;
                if (output.equals(input) || output.equals(dir) || output.startsWith(dir + "/")) {
                    throw new ConfigError(PREFIX + ".output: " + output + " would mix the shards into the input tree "
                            + input + "; choose a directory outside " + dir);
                }
            }
            return new PrepareConfig(input, output, List.copyOf(splits), layout,
                    labels.isEmpty() ? "" : resolve(input, labels), ConfigChecks.positive(c, PREFIX, "shard-size"),
                    maxBad, c.getLong("seed"));
        } catch (ConfigException e) {
            throw new ConfigError(e.getMessage(), e);
        }
    }

    /** The directory of a split's input files. */
    public String inputDirectory(String split) {
        return input + "/" + split;
    }

    /** The settings as the manifest records them. */
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("splits", new ArrayList<>(splits));
        m.put("val_layout", valLayout);
        m.put("val_labels", valLabels.isEmpty() ? null : valLabels);
        m.put("shard_size", shardSize);
        m.put("max_bad_fraction", maxBadFraction);
        m.put("seed", seed);
        return m;
    }

    private static String resolve(String input, String path) {
        boolean absolute = path.startsWith("/") || path.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*");
        return absolute ? path : input + "/" + path;
    }

    private static String trimSlash(String path) {
        String p = path.trim();
        while (p.length() > 1 && p.endsWith("/") && !p.endsWith("//")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
