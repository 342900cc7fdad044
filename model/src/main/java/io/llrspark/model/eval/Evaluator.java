package io.llrspark.model.eval;

import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.Examples;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.progress.Progress;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates in this process: the attack protocol on every batch, one after another, with progress.
 */
public final class Evaluator {

    private final AttackProtocol protocol;
    private final PrintStream log;

    public Evaluator(RunConfig.Evaluation config, long seed, PrintStream log) {
        this.protocol = new AttackProtocol(config, seed);
        this.log = log;
    }

    /** The protocol it runs batch by batch (what a distributed evaluation spreads over executors). */
    public AttackProtocol protocol() {
        return protocol;
    }

    /** Every batch's outcomes, evaluated here one batch after another, with progress. */
    public List<ExampleOutcome> evaluateAll(Classifier net, Examples test, DataType type) {
        int batches = protocol.batches(test.size());
        Progress progress = new Progress(log, "evaluate", batches);
        List<ExampleOutcome> outcomes = new ArrayList<>();
        int correct = 0;
        for (int b = 0; b < batches; b++) {
            List<ExampleOutcome> batch = protocol.batch(net, test, b, type);
            outcomes.addAll(batch);
            correct += (int) batch.stream().filter(ExampleOutcome::correct).count();
            progress.report(b + 1, String.format("%d examples, clean acc %.4f; seconds by stage: %s", outcomes.size(),
                    (double) correct / outcomes.size(), StageSeconds.describe(StageSeconds.of(protocol.config(), outcomes))));
        }
        return outcomes;
    }
}
