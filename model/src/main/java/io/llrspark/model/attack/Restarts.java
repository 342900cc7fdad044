package io.llrspark.model.attack;

import io.llrspark.model.net.Rows;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Runs of a search (restarts, target classes), each on the examples no earlier run broke, with per example the
 * strongest result. A later run only matters for examples no earlier one has broken: success, hence robust accuracy,
 * is the same as running every example each time; only the margins kept for broken examples may differ.
 */
final class Restarts {

    /** One run on the examples {@code rows} of the batch (null: all of them), given as {@code xs} and {@code ys}. */
    interface Run {
        AttackResult on(INDArray xs, INDArray ys, int[] rows, int run);
    }

    private Restarts() {
    }

    static AttackResult run(INDArray x, INDArray y, int runs, Run run) {
        AttackResult best = null;
        for (int r = 0; r < runs; r++) {
            int[] open = best == null ? null : unbroken(best);
            if (open != null && open.length == 0) {
                break;
            }
            AttackResult candidate = open == null ? run.on(x, y, null, r) : run.on(Rows.select(x, open), Rows.select(y, open), open, r);
            best = open == null ? candidate : WorstCase.combine(best, expand(best, candidate, open));
        }
        return best;
    }

    static int[] unbroken(AttackResult result) {
        return IntStream.range(0, result.size()).filter(i -> !result.success(i)).toArray();
    }

    static int[] pick(int[] values, int[] rows) {
        return rows == null ? values : Arrays.stream(rows).map(i -> values[i]).toArray();
    }

    static long[] toLong(int[] idx) {
        return Arrays.stream(idx).asLongStream().toArray();
    }

    /** A full-size result: the subset's rows at their indices, the previous result's elsewhere. */
    private static AttackResult expand(AttackResult previous, AttackResult subset, int[] idx) {
        INDArray adversarial = previous.adversarial().dup();
        INDArray margins = previous.margins().dup();
        for (int i = 0; i < idx.length; i++) {
            adversarial.get(NDArrayIndex.point(idx[i])).assign(subset.adversarial().get(NDArrayIndex.point(i)));
            margins.putScalar(idx[i], subset.margins().getDouble(i));
        }
        return new AttackResult(adversarial, margins);
    }

    /** Rows of {@code target} replaced in place by {@code source}'s where {@code take} is 1 (0 elsewhere). */
    static void takeRows(INDArray target, INDArray source, double[] take) {
        int n = take.length;
        boolean any = false;
        for (double t : take) {
            any |= t != 0;
        }
        if (!any) {
            return;
        }
        INDArray m = Nd4j.createFromArray(take).castTo(target.dataType()).reshape(n, 1);
        INDArray kept = target.reshape(n, target.length() / n).mulColumnVector(m.rsub(1));
        INDArray taken = source.reshape(n, source.length() / n).mulColumnVector(m);
        target.assign(kept.addi(taken).reshape(target.shape()));
    }
}
