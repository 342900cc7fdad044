package io.llrspark.model.tasks;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Runs independent tasks and returns their results in input order: one after another here ({@link LocalTaskRunner}),
 * one Spark task each on the executors (spark-jobs). Preparation never depends on how the tasks were spread.
 */
public interface TaskRunner {

    /**
     * @param description what the tasks do, for progress lines (and the Spark UI)
     * @param files       how many files a task handles, for progress lines
     */
    <T extends Serializable, R extends Serializable> List<R> run(String description, List<T> inputs,
                                                                 ToLongFunction<T> files, TaskFunction<T, R> function)
            throws IOException;
}
