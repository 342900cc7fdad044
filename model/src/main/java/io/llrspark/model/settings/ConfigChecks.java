package io.llrspark.model.settings;

import com.typesafe.config.Config;

import java.util.Set;
import java.util.TreeSet;

/** Typed reads of single settings that fail with a {@link ConfigError} naming the full key and the bad value. */
public final class ConfigChecks {
    private ConfigChecks() {
    }

    public static String oneOf(Config c, String prefix, String key, Set<String> allowed) {
        String v = c.getString(key);
        if (!allowed.contains(v)) {
            throw new ConfigError(prefix + "." + key + ": '" + v + "' is not one of " + new TreeSet<>(allowed));
        }
        return v;
    }

    public static String nonEmpty(Config c, String prefix, String key) {
        String v = c.getString(key);
        if (v.isBlank()) {
            throw new ConfigError(prefix + "." + key + ": must not be empty");
        }
        return v;
    }

    public static int positive(Config c, String prefix, String key) {
        int v = c.getInt(key);
        if (v <= 0) {
            throw new ConfigError(prefix + "." + key + ": must be a positive integer, got " + v);
        }
        return v;
    }

    public static int nonNegative(Config c, String prefix, String key) {
        int v = c.getInt(key);
        if (v < 0) {
            throw new ConfigError(prefix + "." + key + ": must be zero or more, got " + v);
        }
        return v;
    }

    public static long positiveLong(Config c, String prefix, String key) {
        long v = c.getLong(key);
        if (v <= 0) {
            throw new ConfigError(prefix + "." + key + ": must be a positive integer, got " + v);
        }
        return v;
    }

    public static long nonNegativeLong(Config c, String prefix, String key) {
        long v = c.getLong(key);
        if (v < 0) {
            throw new ConfigError(prefix + "." + key + ": must be zero or more, got " + v);
        }
        return v;
    }

    public static double positiveDouble(Config c, String prefix, String key) {
        double v = c.getDouble(key);
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new ConfigError(prefix + "." + key + ": must be a positive number, got " + v);
        }
        return v;
    }

    public static double nonNegativeDouble(Config c, String prefix, String key) {
        double v = c.getDouble(key);
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new ConfigError(prefix + "." + key + ": must be zero or a positive number, got " + v);
        }
        return v;
    }

    public static double epsilon(Config c, String prefix, String key) {
        double v = c.getDouble(key);
        if (!(v >= 0 && v <= 1)) {
            throw new ConfigError(prefix + "." + key + ": must lie in [0, 1] (images are in [0, 1]), got " + v);
        }
        return v;
    }
}
