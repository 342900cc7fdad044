package io.llrspark.model.train;

/** How a training run treats what its output already holds. */
public enum RunStart {
    /** The output must hold no run: nothing of another run is ever overwritten or continued by mistake. */
    NEW,
    /** Continue the run the output holds from its newest committed checkpoint (or start, if it has none). */
    RESUME,
    /** Delete the run the output holds, then start anew. */
    OVERWRITE;

    /** From the command line's {@code --resume} and {@code --overwrite} (its parser refuses both at once). */
    public static RunStart of(boolean resume, boolean overwrite) {
        return resume ? RESUME : overwrite ? OVERWRITE : NEW;
    }
}
