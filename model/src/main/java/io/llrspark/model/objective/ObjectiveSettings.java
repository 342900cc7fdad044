package io.llrspark.model.objective;

import java.io.Serializable;

/**
 * An objective's own settings, read and validated from its section of {@code llr.training} at start-up
 * ({@link Objectives}); what a Spark worker receives to build the same objective as the driver.
 */
public interface ObjectiveSettings extends Serializable {

    /** The objective these settings describe, training against radius {@code epsilon}. */
    TrainingObjective build(double epsilon);
}
