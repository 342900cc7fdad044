package io.llrspark.model.config;

import io.llrspark.model.attack.Attacks;
import io.llrspark.model.data.cifar.Cifar10Reader;
import io.llrspark.model.data.DataSettings;
import io.llrspark.model.data.sources.ExampleSources;
import io.llrspark.model.net.arch.NetworkFactory;
import io.llrspark.model.net.arch.NetworkSpec;
import io.llrspark.model.net.arch.OptimizerSpec;
import io.llrspark.model.objective.ObjectiveSettings;
import io.llrspark.model.objective.Objectives;
import io.llrspark.model.settings.ConfigChecks;
import io.llrspark.model.settings.Section;
import io.llrspark.model.settings.UriCredentials;
import io.llrspark.model.storage.StorageLock;
import io.llrspark.model.verdict.VerdictSettings;
import io.llrspark.model.settings.ConfigError;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseable;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link RunConfig}: {@code --set key=value} overrides, over the user's file, over {@code reference.conf};
 * rejects unknown keys and bad values with messages naming the key, before any work starts.
 */
public final class ConfigLoader {


    private ConfigLoader() {
    }

    /** Loads from a file (null: the defaults alone) plus {@code key=value} overrides. */
    public static RunConfig load(Path file, List<String> overrides) {
        return fromMerged(merge(file, overrides));
    }

    /**
     * The user's file and overrides over every {@code reference.conf} on the classpath, resolved, with unknown keys
     * under {@code llr} rejected: what jobs with sections of their own (Spark settings) read beside the RunConfig.
     */
    public static Config merge(Path file, List<String> overrides) {
        Config user = ConfigFactory.empty();
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new ConfigError("config file " + file + " not found");
            }
            try {
                user = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false)
                        .setIncluder(REQUIRED_INCLUDES));
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
                        ConfigParseOptions.defaults().setOriginDescription("--set " + UriCredentials.mask(override)))
                        .withFallback(user);
            } catch (ConfigException e) {
                throw new ConfigError(UriCredentials.mask("--set " + override + ": " + e.getMessage()), e);
            }
        }
        for (String key : user.root().keySet()) {
            if (!key.equals("llr")) {
                throw new ConfigError("unknown key " + key + " (set in " + UriCredentials.mask(user.getValue(key)
                        .origin().description()) + "): every setting is under llr (llr." + key + "?)");
            }
        }
        return withReference(user);
    }

    /**
     * HOCON drops an {@code include} whose file is missing without a word, and the run goes on with the defaults:
     * here every include is required, found next to the file that includes it.
     */
    private static final ConfigIncluder REQUIRED_INCLUDES = new ConfigIncluder() {
        @Override
        public ConfigIncluder withFallback(ConfigIncluder fallback) {
            return this;
        }

        @Override
        public ConfigObject include(ConfigIncludeContext context, String what) {
            ConfigParseable included = context.relativeTo(what);
            if (included == null) {
                throw new ConfigError("include \"" + what + "\": not a file this configuration can include");
            }
            try {
                return included.parse(context.parseOptions().setAllowMissing(false));
            } catch (ConfigException.IO e) {
                throw new ConfigError("include \"" + what + "\" (in " + included.origin().description()
                        + "): no such file", e);
            }
        }
    };

    /** Validates {@code user} (unresolved, without defaults) against the reference and builds the typed config. */
    public static RunConfig fromConfig(Config user) {
        return fromMerged(withReference(user));
    }

    private static Config withReference(Config user) {
        Config reference = ConfigFactory.defaultReference();
        Config merged;
        try {
            merged = user.withFallback(reference).resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false));
            rejectUnknownKeys(merged, reference);
        } catch (ConfigException e) {
            throw new ConfigError(e.getMessage(), e);
        }
        return merged;
    }

    /** What the shipped configurations put where only the user knows the value (a bucket, a directory). */
    public static final String PLACEHOLDER = "CHANGE-ME";

    /** Builds the typed config from a {@link #merge merged} one. */
    public static RunConfig fromMerged(Config merged) {
        Config c = merged.getConfig("llr");
        for (Map.Entry<String, ConfigValue> e : c.entrySet()) {
            if (String.valueOf(e.getValue().unwrapped()).contains(PLACEHOLDER)) {
                throw new ConfigError("llr." + e.getKey() + ": replace the placeholder " + e.getValue().unwrapped()
                        + " (from " + e.getValue().origin().description() + "), e.g. with --set llr." + e.getKey()
                        + "='\"...\"'");
            }
        }
        for (Map.Entry<String, ConfigValue> e : c.entrySet()) {
            Object value = e.getValue().unwrapped();
            if (value instanceof String || value instanceof List<?>) {
                UriCredentials.reject("llr." + e.getKey() + " (from " + UriCredentials.mask(e.getValue().origin()
                        .description()) + ")", String.valueOf(value));
            }
        }
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
        DataSettings data = data(c.getConfig("data"));
        Config n = c.getConfig("network");
        RunConfig.Network network = new RunConfig.Network(
                architecture(n),
                ConfigChecks.oneOf(n, "llr.network", "activation", Set.of("softplus", "relu")),
                ConfigChecks.oneOf(n, "llr.network", "data-type", Set.of("float", "double")),
                ConfigChecks.nonNegativeDouble(n, "llr.network", "output-init-scale"),
                ConfigChecks.oneOf(n, "llr.network", "layers", Set.of(NetworkSpec.NATIVE, NetworkSpec.DL4J)),
                n.getDoubleList("input-mean"), n.getDoubleList("input-std"));
        checkNormalization(network);
        Config t = c.getConfig("training");
        String p = "llr.training";
        String objective = ConfigChecks.oneOf(t, p, "objective", Objectives.names());
        double epsilon = ConfigChecks.epsilon(t, p, "epsilon");
        ObjectiveSettings objectiveSettings = Objectives.read(objective, new Section(t, p));
        RunConfig.Training training = new RunConfig.Training(
                objective,
                ConfigChecks.positive(t, p, "epochs"), ConfigChecks.positive(t, p, "batch-size"),
                ConfigChecks.positiveDouble(t, p, "learning-rate"),
                ConfigChecks.oneOf(t, p, "optimizer", Set.of(OptimizerSpec.ADAM, OptimizerSpec.NESTEROV)),
                momentum(t, p), ConfigChecks.nonNegativeDouble(t, p, "weight-decay"), boundaries(t, p),
                ConfigChecks.nonNegativeDouble(t, p, "lr-decay-factor"), epsilon,
                ConfigChecks.nonNegativeLong(t, p, "checkpoint-every"), ConfigChecks.positiveLong(t, p, "log-every"),
                objectiveSettings, objectiveSettings.build(epsilon),
                new StorageLock.Timing(Duration.ofMillis(ConfigChecks.nonNegativeLong(t, p, "lock-settle-ms")),
                        Duration.ofSeconds(ConfigChecks.positiveLong(t, p, "lock-expiry-seconds"))),
                ConfigChecks.oneOf(t, p, "non-finite", Set.of("stop", "skip")).equals("skip"));
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
        Attacks.Suite suite = Attacks.read(new Section(e, q));
        RunConfig.Evaluation evaluation = new RunConfig.Evaluation(epsilons, ConfigChecks.nonNegative(e, q, "examples"),
                ConfigChecks.positive(e, q, "batch-size"), suite.attacks(), suite.cascade(),
                ConfigChecks.nonNegative(e, q, "gamma-steps"), VerdictSettings.read(new Section(e, q)));
        String rendered = RedactedRendering.render(merged.withOnlyPath("llr"));
        return new RunConfig(c.getLong("seed"), data, network, training, evaluation,
                ConfigChecks.nonEmpty(c, "llr", "output"), rendered);
    }

    private static DataSettings data(Config d) {
        String p = "llr.data";
        String format = ConfigChecks.oneOf(d, p, "format", Set.of(ExampleSources.IDX, ExampleSources.CIFAR10,
                ExampleSources.PREPARED));
        // Only the keys the chosen format reads must be set.
        boolean idx = format.equals(ExampleSources.IDX);
        boolean cifar = format.equals(ExampleSources.CIFAR10);
        boolean prepared = format.equals(ExampleSources.PREPARED);
        int classes = ConfigChecks.nonNegative(d, p, "classes");
        if (cifar && classes != 0 && classes != Cifar10Reader.CLASSES) {
            throw new ConfigError(p + ".classes: CIFAR-10 has 10 classes, got " + classes + " (0 takes 10)");
        }
        return new DataSettings(format,
                idx ? ConfigChecks.nonEmpty(d, p, "train-images") : d.getString("train-images"),
                idx ? ConfigChecks.nonEmpty(d, p, "train-labels") : d.getString("train-labels"),
                idx ? ConfigChecks.nonEmpty(d, p, "test-images") : d.getString("test-images"),
                idx ? ConfigChecks.nonEmpty(d, p, "test-labels") : d.getString("test-labels"),
                cifar ? ConfigChecks.nonEmpty(d, p, "cifar-directory") : d.getString("cifar-directory"),
                d.getBoolean("cifar-augment"),
                prepared ? ConfigChecks.nonEmpty(d, p, "prepared") : d.getString("prepared"),
                ConfigChecks.nonEmpty(d, p, "train-split"), ConfigChecks.nonEmpty(d, p, "test-split"),
                ConfigChecks.positive(d, p, "image-size"), minCropArea(d, p), ConfigChecks.positive(d, p, "shuffle-window"),
                ConfigChecks.positive(d, p, "shard-cache-mb"), classes, ConfigChecks.nonNegative(d, p, "train-limit"));
    }

    private static double minCropArea(Config d, String p) {
        double a = d.getDouble("min-crop-area");
        if (!(a > 0 && a <= 1)) {
            throw new ConfigError(p + ".min-crop-area: must lie in (0, 1], got " + a);
        }
        return a;
    }

    private static double momentum(Config t, String p) {
        double m = t.getDouble("momentum");
        if (!(m >= 0 && m < 1)) {
            throw new ConfigError(p + ".momentum: must lie in [0, 1), got " + m);
        }
        return m;
    }

    private static List<Long> boundaries(Config t, String p) {
        List<Long> b = t.getLongList("lr-boundaries");
        for (int i = 0; i < b.size(); i++) {
            if (b.get(i) <= 0 || (i > 0 && b.get(i) <= b.get(i - 1)) || b.get(i) > Integer.MAX_VALUE) {
                throw new ConfigError(p + ".lr-boundaries: must be increasing positive iteration numbers, got " + b);
            }
        }
        return b;
    }

    private static void checkNormalization(RunConfig.Network n) {
        String p = "llr.network.";
        if (n.inputMean().size() != n.inputStd().size()) {
            throw new ConfigError(p + "input-mean and " + p + "input-std: need one value per channel each, got "
                    + n.inputMean().size() + " and " + n.inputStd().size());
        }
        for (double s : n.inputStd()) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new ConfigError(p + "input-std: every value must be positive, got " + n.inputStd());
            }
        }
    }

    private static String architecture(Config n) {
        String name = ConfigChecks.nonEmpty(n, "llr.network", "architecture");
        if (!NetworkFactory.knows(name)) {
            throw new ConfigError("llr.network.architecture: '" + name + "' is not one of " + NetworkFactory.NAMED
                    + " or " + NetworkFactory.WIDE_RESNET_FORM);
        }
        return name;
    }

}
