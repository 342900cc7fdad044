package io.llrspark.model.cli;

import io.llrspark.model.command.CommandLine;
import io.llrspark.model.command.CommandRunner;
import io.llrspark.model.perf.SpeedBenchmark;
import io.llrspark.model.perf.TrainingBenchmark;
import io.llrspark.model.storage.LocalStorage;
import io.llrspark.model.config.ConfigLoader;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.ExampleSource;
import io.llrspark.model.data.sources.ExampleSources;
import io.llrspark.model.eval.CheckpointEvaluation;
import io.llrspark.model.train.LocalTrainer;
import io.llrspark.model.train.RunStart;
import io.llrspark.model.train.TrainingLoop;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/**
 * Command line of the local (single-process) jobs: {@code train}, {@code evaluate}, {@code run} (train, then evaluate
 * the final checkpoint), {@code compare}, {@code bench} and {@code speed}. Exit status 2 for bad usage, configuration
 * or data.
 */
public final class Main {
    private static final String USAGE = """
            usage: llr <command> [options]
              train     --config FILE [--set key=value]... [--resume | --overwrite]   train with the configured
                        objective; an output that holds a run is refused unless --resume continues it or
                        --overwrite deletes it first
              evaluate  --config FILE --checkpoint DIR [--set key=value]...   attack a checkpoint, write report.json
              run       --config FILE [--set key=value]... [--resume | --overwrite]   train, then evaluate the final
                        checkpoint
              compare   CHECKPOINT CHECKPOINT   whether two checkpoints (or runs: their newest) have the same
                        parameters, and how far apart they are; exit status 3 when they differ
              bench     [--batch N] [--steps N] [--only LLR-2,...]     time training steps per objective
              speed     [--networks small-cnn,small-resnet] [--layers native,dl4j] [--objectives standard,LLR-2,...]
                        [--batch N] [--steps N] [--profile] [--input CxHxW]   FLOPs, ms, GFLOP/s against GEMM
            Configuration: reference.conf in the jar, overridden by FILE, overridden by --set (HOCON syntax).
            """;

    private static final List<String> COMMANDS = List.of("train", "evaluate", "run", "compare", "bench", "speed");

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return CommandRunner.run(args, USAGE, COMMANDS, Set.of("bench", "speed", "compare"), out, err, (command, o) -> {
            switch (command) {
                case "train" -> train(o, err);
                case "evaluate" -> evaluate(o, out, err);
                case "run" -> evaluate(o.withCheckpoint(train(o, err)), out, err);
                case "compare" -> {
                    return CheckpointComparison.run(o.rest, out);
                }
                case "bench" -> TrainingBenchmark.main(o.rest.toArray(new String[0]));
                case "speed" -> SpeedBenchmark.main(o.rest.toArray(new String[0]));
                default -> throw CommandRunner.unknownCommand(command, COMMANDS);
            }
            return 0;
        });
    }

    private static String train(CommandLine o, PrintStream log) throws IOException {
        RunConfig config = ConfigLoader.load(o.config, o.overrides);
        LocalStorage storage = new LocalStorage();
        ExampleSource source = ExampleSources.training(config.data(), config.seed());
        source.requireExists(storage);
        TrainingLoop.Result result = new LocalTrainer(config, storage, log).train(source, RunStart.of(o.resume, o.overwrite));
        return result.checkpoint();
    }

    private static void evaluate(CommandLine o, PrintStream out, PrintStream log) throws IOException {
        if (o.checkpoint == null) {
            throw new CommandLine.UsageError("evaluate needs --checkpoint DIR");
        }
        RunConfig config = ConfigLoader.load(o.config, o.overrides);
        LocalStorage storage = new LocalStorage();
        CheckpointEvaluation evaluation = new CheckpointEvaluation(config, storage, log);
        evaluation.testSource().requireExists(storage);
        CheckpointEvaluation.Written written = evaluation.evaluate(o.checkpoint, codeVersion());
        out.println(ReportTable.render(written.report()));
        out.println("Report: " + written.path());
    }

    public static String codeVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
