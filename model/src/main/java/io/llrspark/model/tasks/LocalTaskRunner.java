package io.llrspark.model.tasks;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/** Runs tasks one after another in this process. */
public final class LocalTaskRunner implements TaskRunner {
    private final PrintStream log;

    public LocalTaskRunner(PrintStream log) {
        this.log = log;
    }

    @Override
    public <T extends Serializable, R extends Serializable> List<R> run(String description, List<T> inputs,
                                                                        ToLongFunction<T> files,
                                                                        TaskFunction<T, R> function) throws IOException {
        TaskProgress progress = new TaskProgress(log, description, inputs, files);
        List<R> results = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            results.add(function.apply(inputs.get(i)));
            progress.completed(i);
        }
        return results;
    }
}
