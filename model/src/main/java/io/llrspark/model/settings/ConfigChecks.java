package io.llrspark.model.settings;

import com.typesafe.config.Config;

import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

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
        return require(c.getString(key), v -> !v.isBlank(), prefix, key, "must not be empty");
    }

    public static int positive(Config c, String prefix, String key) {
        return require(c.getInt(key), v -> v > 0, prefix, key, "must be a positive integer");
    }

    public static int nonNegative(Config c, String prefix, String key) {
        return require(c.getInt(key), v -> v >= 0, prefix, key, "must be zero or more");
    }

    public static long positiveLong(Config c, String prefix, String key) {
        return require(c.getLong(key), v -> v > 0, prefix, key, "must be a positive integer");
    }

    public static long nonNegativeLong(Config c, String prefix, String key) {
        return require(c.getLong(key), v -> v >= 0, prefix, key, "must be zero or more");
    }

    public static double positiveDouble(Config c, String prefix, String key) {
        return require(c.getDouble(key), v -> v > 0 && !v.isInfinite(), prefix, key, "must be a positive number");
    }

    public static double nonNegativeDouble(Config c, String prefix, String key) {
        return require(c.getDouble(key), v -> v >= 0 && !v.isInfinite(), prefix, key,
                "must be zero or a positive number");
    }

    public static double epsilon(Config c, String prefix, String key) {
        return require(c.getDouble(key), v -> v >= 0 && v <= 1, prefix, key,
                "must lie in [0, 1] (images are in [0, 1])");
    }

    /** {@code value} if it passes, else a ConfigError "prefix.key: requirement, got value" (NaN never passes). */
    private static <T> T require(T value, Predicate<T> passes, String prefix, String key, String requirement) {
        if (!passes.test(value)) {
            throw new ConfigError(prefix + "." + key + ": " + requirement
                    + (value instanceof String ? "" : ", got " + value));
        }
        return value;
    }
}
