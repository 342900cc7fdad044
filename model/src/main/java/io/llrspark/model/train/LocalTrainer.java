package io.llrspark.model.train;

import io.llrspark.model.storage.Storage;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.DatasetShape;
import io.llrspark.model.data.ExampleSource;
import io.llrspark.model.data.Examples;
import io.llrspark.model.data.LabeledImages;

import java.io.IOException;
import java.io.PrintStream;

/** The {@link TrainingLoop} with steps taken in this process. */
public final class LocalTrainer {
    private final TrainingLoop loop;
    private final RunConfig config;
    private final Storage storage;

    public LocalTrainer(RunConfig config, Storage storage, PrintStream log) {
        this.loop = new TrainingLoop(config, storage, log);
        this.config = config;
        this.storage = storage;
    }

    public TrainingLoop.Result train(ExampleSource source, RunStart start) throws IOException {
        Examples examples = source.open(storage);
        return loop.train(source, new LocalSteps(examples, config.network().arrayType()), start);
    }

    /** Trains on images already in memory (tests, benchmarks). */
    public TrainingLoop.Result train(LabeledImages train, RunStart start) throws IOException {
        return train(new InMemory(train), start);
    }

    /** Examples held by this process: nothing to read, never shipped anywhere. */
    private record InMemory(LabeledImages images) implements ExampleSource {
        @Override
        public void requireExists(Storage storage) {
        }

        @Override
        public DatasetShape shape(Storage storage) {
            return images.shape();
        }

        @Override
        public Examples open(Storage storage) {
            return images;
        }

        @Override
        public String describe() {
            return "images in memory";
        }
    }
}
