package io.llrspark.model.perf;

import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.LabeledImages;
import io.llrspark.model.data.idx.IdxSource;
import io.llrspark.model.data.sources.ExampleSources;
import io.llrspark.model.settings.ConfigError;
import io.llrspark.model.storage.LocalStorage;

import java.io.IOException;

/** What the benchmarks time steps on. */
final class BenchmarkData {
    private BenchmarkData() {
    }

    /** The configured IDX training set in memory (the benchmarks' data). */
    static LabeledImages trainingData(RunConfig config) throws IOException {
        if (!(ExampleSources.training(config.data(), config.seed()) instanceof IdxSource idx)) {
            throw new ConfigError("the benchmarks read IDX files (llr.data.format = idx)");
        }
        return idx.open(new LocalStorage());
    }

}
