package io.llrspark.model.tasks;

import io.llrspark.model.progress.Progress;

import java.io.PrintStream;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Progress of a {@link TaskRunner} run in tasks and files: a line at most every few seconds and one at the end, since
 * a run of a thousand shards would otherwise print a thousand lines. Safe to call from a listener thread.
 */
public final class TaskProgress {
    private static final long EVERY_NANOS = 10_000_000_000L;
    private final Progress progress;
    private final long[] files;
    private final long totalFiles;
    private final boolean[] done;
    private int tasksDone;
    private long filesDone;
    private long lastReport = System.nanoTime();

    public <T> TaskProgress(PrintStream log, String description, List<T> inputs, ToLongFunction<T> files) {
        this.files = inputs.stream().mapToLong(files).toArray();
        this.totalFiles = java.util.Arrays.stream(this.files).sum();
        this.done = new boolean[inputs.size()];
        this.progress = new Progress(log, description, inputs.size());
    }

    /** Task {@code index} has finished (again, if it was retried: counted once). */
    public synchronized void completed(int index) {
        if (index < 0 || index >= done.length || done[index]) {
            return;
        }
        done[index] = true;
        tasksDone++;
        filesDone += files[index];
        long now = System.nanoTime();
        if (tasksDone == done.length || now - lastReport >= EVERY_NANOS) {
            lastReport = now;
            double rate = filesDone / Math.max(1e-9, progress.elapsedSeconds());
            progress.report(tasksDone, totalFiles == 0 ? ""
                    : String.format("%d/%d files, %.1f files/s", filesDone, totalFiles, rate));
        }
    }
}
