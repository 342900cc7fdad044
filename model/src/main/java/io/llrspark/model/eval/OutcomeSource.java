package io.llrspark.model.eval;

import io.llrspark.model.checkpoint.CheckpointStore;

import java.io.IOException;
import java.util.List;

/** Where a checkpoint's test batches are attacked: in this process, or spread over Spark executors. */
public interface OutcomeSource {

    /** Every example's outcome for the checkpoint, in any order. */
    List<ExampleOutcome> outcomes(Evaluator evaluator, CheckpointStore.Loaded checkpoint) throws IOException;
}
