package io.llrspark.model.cli;

import io.llrspark.model.checkpoint.CheckpointStore;
import io.llrspark.model.command.CommandLine;
import io.llrspark.model.storage.LocalStorage;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * How far apart two checkpoints' parameters are: the check behind the determinism contract (the same code path,
 * threads and CPU family give the same bits), and a measure of how far two runs drifted when they do not.
 */
final class CheckpointComparison {
    /** Largest absolute difference, that relative to the largest parameter, and how many parameters differ at all. */
    record Difference(long parameters, long differing, double maxAbsolute, double maxRelative) {
        boolean identical() {
            return differing == 0;
        }
    }

    private CheckpointComparison() {
    }

    static Difference between(INDArray a, INDArray b) {
        if (a.length() != b.length()) {
            throw new IllegalStateException("the checkpoints hold different networks: " + a.length() + " and "
                    + b.length() + " parameters");
        }
        INDArray diff = Transforms.abs(a.sub(b), false);
        double max = diff.maxNumber().doubleValue();
        long differing = diff.gt(0).castTo(DataType.INT64).sumNumber().longValue();
        double scale = Math.max(Transforms.abs(a, true).maxNumber().doubleValue(), Double.MIN_NORMAL);
        return new Difference(a.length(), differing, max, max / scale);
    }

    /** A checkpoint directory, or a run's output directory standing for its newest committed checkpoint. */
    private static CheckpointStore.Loaded load(String dir) throws IOException {
        LocalStorage storage = new LocalStorage();
        CheckpointStore run = new CheckpointStore(storage, dir);
        return run.load(run.latest().orElse(dir));
    }

    static int run(List<String> checkpoints, PrintStream out) throws IOException {
        if (checkpoints.size() != 2) {
            throw new CommandLine.UsageError("compare needs two checkpoint directories");
        }
        CheckpointStore.Loaded a = load(checkpoints.get(0));
        CheckpointStore.Loaded b = load(checkpoints.get(1));
        Difference d = between(a.network().model().params(), b.network().model().params());
        out.printf("A: %s (epoch %d, iteration %d)%nB: %s (epoch %d, iteration %d)%n", a.path(),
                a.position().epoch(), a.position().iteration(), b.path(), b.position().epoch(), b.position().iteration());
        if (d.identical()) {
            out.printf("identical: all %d parameters have the same bits%n", d.parameters());
        } else {
            out.printf("%d of %d parameters differ; max |A - B| = %.3g (%.3g of max |A|)%n", d.differing(),
                    d.parameters(), d.maxAbsolute(), d.maxRelative());
        }
        return d.identical() ? 0 : 3;
    }
}
