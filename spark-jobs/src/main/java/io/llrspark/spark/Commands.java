package io.llrspark.spark;

import com.typesafe.config.Config;
import io.llrspark.model.command.CommandLine;
import io.llrspark.model.command.CommandRunner;
import io.llrspark.model.config.ConfigLoader;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.prepare.PrepareConfig;
import io.llrspark.spark.train.SparkSettings;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The application's subcommands, named in one place, and the configuration each reads, checked as its driver checks
 * it: {@link Main} runs them, {@link LaunchPlan} checks them on the submitting machine. Nothing here touches Spark, so
 * a launcher can load it without Spark's jars.
 */
public final class Commands {
    public static final String PREPARE_DATA = "prepare-data";
    public static final List<String> NAMES = List.of("train", "evaluate", "evaluate-new", "run", "bench", PREPARE_DATA);
    /** The commands with options of their own beyond the shared ones ({@link CommandLine#rest}). */
    public static final Set<String> WITH_OWN_OPTIONS = Set.of("bench", "evaluate-new");

    /** A command's configuration: merged (reference.conf, the file, the --set overrides), typed and validated. */
    public record Checked(Config merged, RunConfig config, SparkSettings settings) {
    }

    private Commands() {
    }

    /** Fails, naming the key, on anything the command's driver would refuse in its configuration. */
    public static Checked check(String command, Path file, List<String> overrides) {
        if (!NAMES.contains(command)) {
            throw CommandRunner.unknownCommand(command, NAMES);
        }
        if (file == null) {
            throw new CommandLine.UsageError(command + " needs --config FILE");
        }
        Config merged = ConfigLoader.merge(file, overrides);
        Checked checked = new Checked(merged, ConfigLoader.fromMerged(merged), SparkSettings.from(merged));
        if (command.equals(PREPARE_DATA)) {
            PrepareConfig.from(merged);
        }
        return checked;
    }
}
