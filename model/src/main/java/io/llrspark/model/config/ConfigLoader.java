package io.llrspark.model.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link RunConfig}: {@code --set key=value} overrides, over the user's file, over {@code reference.conf};
 * rejects unknown keys and bad values with messages naming the key, before any work starts.
 */
public final class ConfigLoader {

    public static final Set<String> OBJECTIVES = Set.of("standard", "adv", "trades", "llr");
    public static final Set<String> ATTACKS = Set.of("pgd-ce", "pgd-margin", "multi-targeted", "random-targeted");

    private ConfigLoader() {
    }

    /** Loads from a file (null: the defaults alone) plus {@code key=value} overrides. */
    public static RunConfig load(Path file, List<String> overrides) {
        Config user = ConfigFactory.empty();
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new ConfigError("config file " + file + " not found");
            }
            try {
                user = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (ConfigException e) {
                throw new ConfigError("config file " + file + ": " + e.getMessage(), e);
            }
        }
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                throw new ConfigError("--set " + override + ": expected key=value");
            }
            try {
                user = ConfigFactory.parseString(override.substring(0, eq).trim() + " = " + override.substring(eq + 1),
                        ConfigParseOptions.defaults().setOriginDescription("--set " + override)).withFallback(user);
            } catch (ConfigException e) {
                throw new ConfigError("--set " + override + ": " + e.getMessage(), e);
            }
        }
        return fromConfig(user);
    }

    /** Validates {@code user} (unresolved, without defaults) against the reference and builds the typed config. */
    public static RunConfig fromConfig(Config user) {
        Config reference = ConfigFactory.defaultReference();
        Config merged;
        try {
            merged = user.withFallback(reference).resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false));
            rejectUnknownKeys(merged, reference);
        } catch (ConfigException e) {
            throw new ConfigError(e.getMessage(), e);
        }
        Config c = merged.getConfig("llr");
        try {
            return build(c, merged);
        } catch (ConfigException.WrongType | ConfigException.BadValue | ConfigException.Missing e) {
            throw new ConfigError(e.getMessage(), e);
        }
    }

    /** Every key of the merged config under llr that the reference lacks came from the user: a typo or a stale key. */
    private static void rejectUnknownKeys(Config merged, Config reference) {
        Config ref = reference.resolve();
        for (Map.Entry<String, ConfigValue> e : merged.withOnlyPath("llr").entrySet()) {
            if (!ref.hasPathOrNull(e.getKey())) {
                throw new ConfigError("unknown key " + e.getKey() + " (set in " + e.getValue().origin().description()
                        + "); see reference.conf for the keys");
            }
        }
    }

    private static RunConfig build(Config c, Config merged) {
        Config d = c.getConfig("data");
        RunConfig.Data data = new RunConfig.Data(
                oneOf(d, "llr.data", "format", Set.of("idx")),
                nonEmpty(d, "llr.data", "train-images"), nonEmpty(d, "llr.data", "train-labels"),
                nonEmpty(d, "llr.data", "test-images"), nonEmpty(d, "llr.data", "test-labels"),
                positive(d, "llr.data", "classes"), nonNegative(d, "llr.data", "train-limit"));
        Config n = c.getConfig("network");
        RunConfig.Network network = new RunConfig.Network(
                oneOf(n, "llr.network", "architecture", Set.of("small-cnn", "small-resnet")),
                oneOf(n, "llr.network", "activation", Set.of("softplus", "relu")),
                oneOf(n, "llr.network", "data-type", Set.of("float", "double")));
        Config t = c.getConfig("training");
        String p = "llr.training";
        Config adv = t.getConfig("adv");
        Config trades = t.getConfig("trades");
        Config llr = t.getConfig("llr");
        RunConfig.Training training = new RunConfig.Training(
                oneOf(t, p, "objective", OBJECTIVES),
                positive(t, p, "epochs"), positive(t, p, "batch-size"),
                positiveDouble(t, p, "learning-rate"), epsilon(t, p, "epsilon"),
                nonNegativeLong(t, p, "checkpoint-every"), positiveLong(t, p, "log-every"),
                new RunConfig.Search(positive(adv, p + ".adv", "steps"), positiveDouble(adv, p + ".adv", "step-factor"),
                        nonNegativeLong(adv, p + ".adv", "warmup-steps")),
                new RunConfig.Trades(nonNegativeDouble(trades, p + ".trades", "beta"),
                        positive(trades, p + ".trades", "steps"), positiveDouble(trades, p + ".trades", "step-factor"),
                        nonNegativeLong(trades, p + ".trades", "warmup-steps")),
                new RunConfig.Llr(nonNegativeDouble(llr, p + ".llr", "nominal-weight"),
                        nonNegativeDouble(llr, p + ".llr", "lambda"), nonNegativeDouble(llr, p + ".llr", "mu"),
                        positive(llr, p + ".llr", "steps"), oneOf(llr, p + ".llr", "step-rule", Set.of("sign", "adam")),
                        positiveDouble(llr, p + ".llr", "step-size"), nonNegativeLong(llr, p + ".llr", "warmup-steps"),
                        positiveDouble(llr, p + ".llr", "h")));
        Config e = c.getConfig("evaluation");
        String q = "llr.evaluation";
        List<Double> epsilons = e.getDoubleList("epsilons");
        if (epsilons.isEmpty()) {
            throw new ConfigError(q + ".epsilons: needs at least one radius");
        }
        for (double eps : epsilons) {
            if (!(eps >= 0 && eps <= 1)) {
                throw new ConfigError(q + ".epsilons: every radius must lie in [0, 1], got " + eps);
            }
        }
        List<String> attacks = e.getStringList("attacks");
        if (attacks.isEmpty()) {
            throw new ConfigError(q + ".attacks: needs at least one of " + ATTACKS);
        }
        for (String a : attacks) {
            if (!ATTACKS.contains(a)) {
                throw new ConfigError(q + ".attacks: unknown attack '" + a + "', expected some of " + ATTACKS);
            }
        }
        RunConfig.Evaluation evaluation = new RunConfig.Evaluation(epsilons, nonNegative(e, q, "examples"),
                positive(e, q, "batch-size"), attacks,
                attacks(e.getConfig("pgd"), q + ".pgd"), attacks(e.getConfig("targeted"), q + ".targeted"),
                nonNegative(e, q, "gamma-steps"));
        String rendered = merged.withOnlyPath("llr").root().render(ConfigRenderOptions.concise().setFormatted(true).setJson(false));
        return new RunConfig(c.getLong("seed"), data, network, training, evaluation,
                nonEmpty(c, "llr", "output"), rendered);
    }

    private static RunConfig.Attacks attacks(Config c, String prefix) {
        return new RunConfig.Attacks(positive(c, prefix, "steps"), positiveDouble(c, prefix, "step-factor"),
                positive(c, prefix, "restarts"));
    }

    private static String oneOf(Config c, String prefix, String key, Set<String> allowed) {
        String v = c.getString(key);
        if (!allowed.contains(v)) {
            throw new ConfigError(prefix + "." + key + ": '" + v + "' is not one of " + new java.util.TreeSet<>(allowed));
        }
        return v;
    }

    private static String nonEmpty(Config c, String prefix, String key) {
        String v = c.getString(key);
        if (v.isBlank()) {
            throw new ConfigError(prefix + "." + key + ": must not be empty");
        }
        return v;
    }

    private static int positive(Config c, String prefix, String key) {
        int v = c.getInt(key);
        if (v <= 0) {
            throw new ConfigError(prefix + "." + key + ": must be a positive integer, got " + v);
        }
        return v;
    }

    private static int nonNegative(Config c, String prefix, String key) {
        int v = c.getInt(key);
        if (v < 0) {
            throw new ConfigError(prefix + "." + key + ": must be zero or more, got " + v);
        }
        return v;
    }

    private static long positiveLong(Config c, String prefix, String key) {
        long v = c.getLong(key);
        if (v <= 0) {
            throw new ConfigError(prefix + "." + key + ": must be a positive integer, got " + v);
        }
        return v;
    }

    private static long nonNegativeLong(Config c, String prefix, String key) {
        long v = c.getLong(key);
        if (v < 0) {
            throw new ConfigError(prefix + "." + key + ": must be zero or more, got " + v);
        }
        return v;
    }

    private static double positiveDouble(Config c, String prefix, String key) {
        double v = c.getDouble(key);
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new ConfigError(prefix + "." + key + ": must be a positive number, got " + v);
        }
        return v;
    }

    private static double nonNegativeDouble(Config c, String prefix, String key) {
        double v = c.getDouble(key);
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new ConfigError(prefix + "." + key + ": must be zero or a positive number, got " + v);
        }
        return v;
    }

    private static double epsilon(Config c, String prefix, String key) {
        double v = c.getDouble(key);
        if (!(v >= 0 && v <= 1)) {
            throw new ConfigError(prefix + "." + key + ": must lie in [0, 1] (images are in [0, 1]), got " + v);
        }
        return v;
    }
}
