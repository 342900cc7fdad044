package io.llrspark.model.train;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import io.llrspark.model.settings.ConfigError;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a resumed run may change against the checkpoint it resumes. The network, its optimizer and the objective
 * come from the checkpoint (parameters and updater state are stored with their configuration), as do the data's
 * format and order: a resume that asks for others would go on with the checkpoint's while recording the new ones, so
 * it is refused. How long to train, how to log, checkpoint, evaluate and distribute, and where the same data now
 * lives may change; each change is logged, and the run records the configuration it really runs.
 */
final class ResumeSettings {
    /** Settings a resume may change, by key or by section (ending in a dot). */
    static final List<String> CHANGEABLE = List.of(
            "llr.training.epochs", "llr.training.log-every", "llr.training.checkpoint-every",
            "llr.training.lock-settle-ms", "llr.training.lock-expiry-seconds", "llr.training.non-finite",
            "llr.evaluation.", "llr.spark.", "llr.prepare.", "llr.presets.", "llr.output",
            "llr.data.train-images", "llr.data.train-labels", "llr.data.test-images", "llr.data.test-labels",
            "llr.data.cifar-directory", "llr.data.prepared", "llr.data.shard-cache-mb");

    private ResumeSettings() {
    }

    /**
     * Compares the run's configuration with the one stored in {@code checkpoint}; logs what may change and fails,
     * naming every other difference, if anything else does.
     */
    static void check(String rendered, String stored, String checkpoint, PrintStream log) {
        Map<String, String> now = flatten(rendered, "this run's configuration");
        Map<String, String> then = flatten(stored, checkpoint + "/config.conf");
        Set<String> keys = new TreeSet<>(now.keySet());
        keys.addAll(then.keySet());
        List<String> refused = new ArrayList<>();
        for (String key : keys) {
            String a = then.getOrDefault(key, "(unset)");
            String b = now.getOrDefault(key, "(unset)");
            if (Objects.equals(a, b)) {
                continue;
            }
            String change = key + " " + a + " -> " + b;
            if (!then.containsKey(key) || !now.containsKey(key)) {
                // A setting added or removed since the checkpoint was written: its default is what that code did.
                log.println("Resume: " + change + " (a setting " + (then.containsKey(key) ? "no longer known" : "newer "
                        + "than the checkpoint") + ")");
            } else if (changeable(key)) {
                log.println("Resume: " + change);
            } else {
                refused.add(change);
            }
        }
        if (!refused.isEmpty()) {
            throw new ConfigError("--resume from " + checkpoint + ": it was trained with other settings that cannot "
                    + "change mid-run: " + String.join(", ", refused) + ". Resume with the checkpoint's values (its "
                    + "config.conf), or start a new run (another llr.output, or --overwrite)");
        }
    }

    static boolean changeable(String key) {
        return CHANGEABLE.stream().anyMatch(c -> c.endsWith(".") ? key.startsWith(c) : key.equals(c));
    }

    private static Map<String, String> flatten(String hocon, String what) {
        Config c;
        try {
            c = ConfigFactory.parseString(hocon).resolve();
        } catch (ConfigException e) {
            throw new ConfigError(what + ": " + e.getMessage(), e);
        }
        Map<String, String> flat = new java.util.HashMap<>();
        for (Map.Entry<String, ConfigValue> e : c.entrySet()) {
            Object value = e.getValue().unwrapped();
            flat.put(e.getKey(), value instanceof String text ? text
                    : e.getValue().render(com.typesafe.config.ConfigRenderOptions.concise()));
        }
        return flat;
    }
}
