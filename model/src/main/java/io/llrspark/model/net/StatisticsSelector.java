package io.llrspark.model.net;

/** Shared by a network and its batch-normalization layers: which statistics the next training-mode pass uses. */
public final class StatisticsSelector {
    private BatchStatistics current = BatchStatistics.LIVE;

    public BatchStatistics current() {
        return current;
    }

    public void select(BatchStatistics statistics) {
        this.current = statistics;
    }
}
