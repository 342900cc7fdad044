package io.llrspark.model.tasks;

import java.io.IOException;
import java.io.Serializable;

/** One independent unit of work that may run on another machine: a named, serializable class, not a lambda. */
public interface TaskFunction<T, R> extends Serializable {
    R apply(T input) throws IOException;
}
