package io.llrspark.spark.prepare;

import io.llrspark.model.tasks.TaskFunction;
import org.apache.spark.api.java.function.Function;

import java.io.Serializable;

/** On an executor: one serialized task input through the task's function, to its serialized result. */
final class RunTask<T extends Serializable, R extends Serializable> implements Function<byte[], byte[]> {
    private final TaskFunction<T, R> function;

    RunTask(TaskFunction<T, R> function) {
        this.function = function;
    }

    @Override
    public byte[] call(byte[] input) throws Exception {
        T value = JavaSerialized.read(input);
        return JavaSerialized.bytes(function.apply(value));
    }
}
