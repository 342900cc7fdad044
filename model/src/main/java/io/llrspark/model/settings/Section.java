package io.llrspark.model.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

import java.util.Set;

/**
 * One section of the configuration with its full path, as a component reads its own settings: the {@link
 * ConfigChecks} reads, whose errors name the full key ({@code llr.training.trades.steps}).
 */
public record Section(Config config, String path) {

    /** The section under {@code key} (empty where the configuration has none). */
    public Section child(String key) {
        return new Section(config.hasPath(key) ? config.getConfig(key) : ConfigFactory.empty(), path + "." + key);
    }

    public String oneOf(String key, Set<String> allowed) {
        return ConfigChecks.oneOf(config, path, key, allowed);
    }

    public int positive(String key) {
        return ConfigChecks.positive(config, path, key);
    }

    public int nonNegative(String key) {
        return ConfigChecks.nonNegative(config, path, key);
    }

    public long nonNegativeLong(String key) {
        return ConfigChecks.nonNegativeLong(config, path, key);
    }

    public double positiveDouble(String key) {
        return ConfigChecks.positiveDouble(config, path, key);
    }

    public double nonNegativeDouble(String key) {
        return ConfigChecks.nonNegativeDouble(config, path, key);
    }

    public boolean bool(String key) {
        return config.getBoolean(key);
    }
}
