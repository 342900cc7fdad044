package io.llrspark.spark;

import com.typesafe.config.Config;
import io.llrspark.model.storage.Storage;
import io.llrspark.model.command.CommandLine;
import io.llrspark.model.command.CommandRunner;
import io.llrspark.model.settings.ConfigError;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.prepare.DatasetPreparation;
import io.llrspark.model.data.prepare.PrepareConfig;
import io.llrspark.model.cli.ReportTable;
import io.llrspark.model.eval.CheckpointEvaluation;
import io.llrspark.model.eval.NewCheckpointEvaluation;
import io.llrspark.model.train.RunOutput;
import io.llrspark.model.train.RunStart;
import io.llrspark.model.train.TrainingLoop;
import io.llrspark.model.data.ExampleSource;
import io.llrspark.model.data.sources.ExampleSources;
import io.llrspark.spark.eval.SparkOutcomes;
import io.llrspark.spark.prepare.PrepareDataJob;
import io.llrspark.spark.storage.HadoopStorage;
import io.llrspark.spark.storage.S3aDefaults;
import io.llrspark.spark.train.SparkBenchmark;
import io.llrspark.spark.train.SparkSettings;
import io.llrspark.spark.train.TrainJob;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Entry point of the application jar: {@code spark-submit --class io.llrspark.spark.Main llr-spark-app.jar <command>}.
 * Configuration and inputs are checked before a SparkContext exists; exit status 2 for bad usage, configuration or
 * data, 1 for failures while running.
 */
public final class Main {
    private static final String USAGE = """
            usage: spark-submit --class io.llrspark.spark.Main llr-spark-app.jar <command> [options]
                   (or submit/llr-local <command> [options] for Spark local mode)
              train  --config FILE [--set key=value]... [--resume | --overwrite]
                     Train with the configured objective on the executors (parameter averaging), writing
                     checkpoints and metrics.jsonl under llr.output (local path or Hadoop URI), which the run
                     claims (_RUN_LOCK) while it trains. An output that holds a run is refused unless
                     --resume continues it from its newest committed checkpoint or --overwrite deletes it first.
              evaluate --config FILE --checkpoint URI [--set key=value]...
                     attack a checkpoint's test set on the executors with the configured suite at every epsilon;
                     writes report.json, report.csv and robust-accuracy.png under llr.output/reports/<checkpoint>/
              evaluate-new --config FILE --checkpoints RUN_URI [--retry-failed] [--set key=value]...
                     evaluate every committed checkpoint under RUN_URI/checkpoints/ without a report in
                     RUN_URI/reports/, and nothing else; overlapping runs never evaluate the same checkpoint.
                     Exit status 1 if any checkpoint failed (its reports/<checkpoint>/failed.json says why).
              prepare-data --config FILE [--set key=value]...
                     turn the ImageNet-layout tree under llr.prepare.input into shards of compressed images, a
                     class index and a manifest under llr.prepare.output (docs/data.md). Bad files are skipped and
                     counted; exit status 2 if more than llr.prepare.max-bad-fraction of a split is bad.
              bench  --config FILE [--set key=value]... [--rounds N] [--warmup N]
                     time rounds of the configured objective and show where a round's time goes
              run    --config FILE [--set key=value]... [--resume | --overwrite]
                     train, then attack the final checkpoint with the configured suite and print the result table
                     (as evaluate does, on the executors).
            Configuration: reference.conf in the jar, overridden by FILE, overridden by --set (HOCON syntax).
            """;

    private Main() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return CommandRunner.run(args, USAGE, Commands.NAMES, Commands.WITH_OWN_OPTIONS, out, err, (command, o) -> {
            try {
                return run(command, o, out, err);
            } catch (Exception | OutOfMemoryError e) {
                // Spark's job failures are checked exceptions Scala throws undeclared: caught here with the rest.
                ConfigError memory = ResourceFailures.explain(e);
                if (memory != null) {
                    throw memory;
                }
                throw e;
            }
        });
    }

    private static int run(String command, CommandLine o, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        switch (command) {
            case "train" -> train(o, err, false, out);
            case "run" -> train(o, err, true, out);
            case "bench" -> bench(o, out);
            case "evaluate" -> evaluate(o, out, err);
            case "prepare-data" -> prepareData(o, err);
            case "evaluate-new" -> {
                return evaluateNew(o, out, err);
            }
            default -> throw CommandRunner.unknownCommand(command, Commands.NAMES);
        }
        return 0;
    }

    /**
     * What every subcommand starts from: the validated configuration, the Spark settings, the SparkConf, and the
     * file systems as the SparkContext will see them, so inputs can be checked before it starts.
     */
    private record Job(RunConfig config, Config merged, SparkSettings settings, SparkConf sparkConf, Storage inputs) {
        /** @param what names the application in the Spark UI, from the configuration */
        static Job prepare(String command, Path configFile, List<String> overrides, Function<RunConfig, String> what) {
            Commands.Checked checked = Commands.check(command, configFile, overrides);
            SparkConf sparkConf = Main.sparkConf(what.apply(checked.config()), checked.settings());
            return new Job(checked.config(), checked.merged(), checked.settings(), sparkConf,
                    new HadoopStorage(hadoopConf(sparkConf)));
        }

        /** The training set is there and its files pass the checks the driver can make (exit 2 if not). */
        void requireTrainingSet() throws IOException {
            require(ExampleSources.training(config.data(), config.seed()));
        }

        void requireTestSet() throws IOException {
            require(ExampleSources.test(config.data(), config.seed()));
        }

        private void require(ExampleSource source) throws IOException {
            source.requireExists(inputs);
            source.verify(inputs);
        }
    }

    private static void train(CommandLine o, PrintStream log, boolean thenEvaluate, PrintStream out) throws IOException {
        if (o.config == null) {
            throw new CommandLine.UsageError("train and run need --config FILE");
        }
        Job job = Job.prepare(thenEvaluate ? "run" : "train", o.config, o.overrides,
                c -> "train " + c.training().objectiveName());
        job.requireTrainingSet();
        if (thenEvaluate) {
            job.requireTestSet();
        }
        RunOutput.probe(job.inputs(), job.config().output());
        try (JavaSparkContext sc = new JavaSparkContext(job.sparkConf())) {
            Storage output = new HadoopStorage(sc.hadoopConfiguration());
            TrainingLoop.Result result = TrainJob.run(sc, job.config(), job.settings(), output,
                    RunStart.of(o.resume, o.overwrite), log);
            log.println("Final checkpoint: " + result.checkpoint());
            if (thenEvaluate) {
                evaluate(sc, job, output, result.checkpoint(), out, log);
            }
        }
    }

    private static void evaluate(CommandLine o, PrintStream out, PrintStream log) throws IOException {
        if (o.config == null || o.checkpoint == null) {
            throw new CommandLine.UsageError("evaluate needs --config FILE and --checkpoint URI");
        }
        Job job = Job.prepare("evaluate", o.config, o.overrides, c -> "evaluate");
        job.requireTestSet();
        if (!ExampleSource.present(job.inputs(), "--checkpoint", job.inputs().resolve(o.checkpoint, "_COMMITTED"))) {
            throw new ConfigError("--checkpoint " + o.checkpoint + ": not a committed checkpoint (no _COMMITTED marker)");
        }
        try (JavaSparkContext sc = new JavaSparkContext(job.sparkConf())) {
            evaluate(sc, job, new HadoopStorage(sc.hadoopConfiguration()), o.checkpoint, out, log);
        }
    }

    private static int evaluateNew(CommandLine o, PrintStream out, PrintStream log)
            throws IOException, InterruptedException {
        String run = null;
        boolean retryFailed = false;
        for (int i = 0; i < o.rest.size(); i++) {
            switch (o.rest.get(i)) {
                case "--checkpoints" -> {
                    if (i + 1 >= o.rest.size()) {
                        throw new CommandLine.UsageError("--checkpoints needs a value");
                    }
                    run = o.rest.get(++i);
                }
                case "--retry-failed" -> retryFailed = true;
                default -> throw new CommandLine.UsageError("unknown option '" + o.rest.get(i) + "' for evaluate-new");
            }
        }
        if (o.config == null || run == null) {
            throw new CommandLine.UsageError("evaluate-new needs --config FILE and --checkpoints RUN_URI");
        }
        List<String> overrides = new java.util.ArrayList<>(o.overrides);
        // Reports go next to the checkpoints they describe.
        overrides.add("llr.output=\"" + run.replace("\"", "\\\"") + "\"");
        Job job = Job.prepare("evaluate-new", o.config, overrides, c -> "evaluate-new");
        job.requireTestSet();
        if (!ExampleSource.present(job.inputs(), "--checkpoints", job.inputs().resolve(run, "checkpoints"))) {
            throw new ConfigError("--checkpoints " + run + ": no checkpoints/ directory there (expected a training "
                    + "run's llr.output)");
        }
        try (JavaSparkContext sc = new JavaSparkContext(job.sparkConf())) {
            Storage output = new HadoopStorage(sc.hadoopConfiguration());
            List<NewCheckpointEvaluation.Outcome> outcomes = new NewCheckpointEvaluation(output, run, log,
                    Duration.ofMillis(job.settings().lockSettleMs()),
                    Duration.ofMinutes(job.settings().lockExpiryMinutes()))
                    .run(checkpoint -> {
                        out.println(checkpoint);
                        return evaluate(sc, job, output, checkpoint, out, log);
                    }, retryFailed);
            Map<NewCheckpointEvaluation.Status, Long> counts = new java.util.TreeMap<>();
            outcomes.forEach(x -> counts.merge(x.status(), 1L, Long::sum));
            out.println("evaluate-new " + run + ": " + counts);
            return counts.containsKey(NewCheckpointEvaluation.Status.FAILED) ? 1 : 0;
        }
    }

    /** Attacks one checkpoint on the executors, writes its report files and prints the table. */
    private static CheckpointEvaluation.Written evaluate(JavaSparkContext sc, Job job, Storage storage,
                                                         String checkpoint, PrintStream out, PrintStream log)
            throws IOException {
        CheckpointEvaluation.Written written = new CheckpointEvaluation(job.config(), storage, log).evaluate(checkpoint,
                io.llrspark.model.cli.Main.codeVersion(),
                new SparkOutcomes(sc, job.config(), storage, job.settings().evaluationPartitions(), log));
        out.println(ReportTable.render(written.report()));
        out.println("Report: " + written.path());
        return written;
    }

    private static void prepareData(CommandLine o, PrintStream log) throws IOException {
        if (o.config == null) {
            throw new CommandLine.UsageError("prepare-data needs --config FILE");
        }
        Job job = Job.prepare(Commands.PREPARE_DATA, o.config, o.overrides, c -> "prepare-data");
        PrepareConfig prepare = PrepareConfig.from(job.merged());
        DatasetPreparation.requireInputs(prepare, job.inputs());
        try (JavaSparkContext sc = new JavaSparkContext(job.sparkConf())) {
            PrepareDataJob.run(sc, prepare, io.llrspark.model.cli.Main.codeVersion(), log);
        }
    }

    private static void bench(CommandLine o, PrintStream out) throws IOException {
        int rounds = 10;
        int warmup = 2;
        for (int i = 0; i < o.rest.size(); i++) {
            String a = o.rest.get(i);
            if (i + 1 >= o.rest.size() || !(a.equals("--rounds") || a.equals("--warmup"))) {
                throw new CommandLine.UsageError("bench: unknown option or missing value '" + a + "'");
            }
            int n = count(a, o.rest.get(++i), a.equals("--rounds") ? 1 : 0);
            if (a.equals("--rounds")) {
                rounds = n;
            } else {
                warmup = n;
            }
        }
        if (o.config == null) {
            throw new CommandLine.UsageError("bench needs --config FILE");
        }
        Job job = Job.prepare("bench", o.config, o.overrides, c -> "bench");
        job.requireTrainingSet();
        try (JavaSparkContext sc = new JavaSparkContext(job.sparkConf())) {
            SparkBenchmark.run(sc, job.config(), job.settings(), new HadoopStorage(sc.hadoopConfiguration()), warmup,
                    rounds, out);
        }
    }

    /** A whole number of at least {@code least} for {@code option}, or a usage error saying so. */
    private static int count(String option, String value, int least) {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            n = least - 1;
        }
        if (n < least) {
            throw new CommandLine.UsageError("bench: " + option + " needs a whole number of at least " + least
                    + ", got '" + value + "'");
        }
        return n;
    }

    /** spark-submit's settings; outside spark-submit (tests, IDEs), local mode with one thread per worker. */
    private static SparkConf sparkConf(String what, SparkSettings settings) {
        SparkConf conf = new SparkConf()
                .setIfMissing("spark.master", "local[" + (settings.workers() > 0 ? settings.workers() : "*") + "]")
                .setIfMissing("spark.app.name", "llr-spark " + what)
                .setIfMissing("spark.ui.showConsoleProgress", "false");
        return KryoSettings.unlessChosen(S3aDefaults.applyTo(conf));
    }

    /** The Hadoop settings the SparkContext will have ({@code spark.hadoop.*}), to check inputs before it starts. */
    private static Configuration hadoopConf(SparkConf sparkConf) {
        Configuration conf = new Configuration();
        for (Tuple2<String, String> e : sparkConf.getAllWithPrefix("spark.hadoop.")) {
            conf.set(e._1(), e._2());
        }
        return conf;
    }
}
