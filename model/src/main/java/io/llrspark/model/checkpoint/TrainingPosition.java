package io.llrspark.model.checkpoint;

/**
 * Where training stands: completed epochs, optimizer steps taken, and batches done in the current epoch (so a
 * mid-epoch checkpoint resumes with the same data order).
 */
public record TrainingPosition(int epoch, long iteration, int batchInEpoch) {
}
