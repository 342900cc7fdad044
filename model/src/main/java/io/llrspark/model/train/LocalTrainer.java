package io.llrspark.model.train;

import io.llrspark.model.checkpoint.Storage;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.LabeledImages;
import io.llrspark.model.net.Classifier;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.IOException;
import java.io.PrintStream;

/** The {@link TrainingLoop} with steps taken in this process, on images held in memory. */
public final class LocalTrainer {
    private final TrainingLoop loop;
    private final RunConfig config;

    public LocalTrainer(RunConfig config, Storage storage, PrintStream log) {
        this.loop = new TrainingLoop(config, storage, log);
        this.config = config;
    }

    public static DataType dataType(RunConfig config) {
        return TrainingLoop.dataType(config);
    }

    public static Classifier newNetwork(RunConfig config, LabeledImages data) {
        return TrainingLoop.newNetwork(config, data.shape());
    }

    public TrainingLoop.Result train(LabeledImages train, boolean resume) throws IOException {
        return loop.train(train.shape(), new LocalSteps(train, dataType(config)), resume);
    }
}
