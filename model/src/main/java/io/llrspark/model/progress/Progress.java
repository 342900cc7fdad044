package io.llrspark.model.progress;

import java.io.PrintStream;
import java.time.Duration;

/** Progress lines with elapsed time, rate and ETA for long work. */
public final class Progress {
    private final PrintStream out;
    private final String what;
    private final long total;
    private final long startNanos = System.nanoTime();

    public Progress(PrintStream out, String what, long total) {
        this.out = out;
        this.what = what;
        this.total = total;
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Logs "what done/total (pct) elapsed, ETA" plus a detail string. */
    public void report(long done, String detail) {
        double elapsed = elapsedSeconds();
        double eta = done > 0 ? elapsed / done * (total - done) : Double.NaN;
        out.printf("[%s] %d/%d (%.0f%%) elapsed %s, ETA %s%s%n", what, done, total, 100.0 * done / Math.max(1, total),
                format(elapsed), Double.isNaN(eta) ? "?" : format(eta), detail.isEmpty() ? "" : " | " + detail);
        out.flush();
    }

    public static String format(double seconds) {
        Duration d = Duration.ofMillis((long) (seconds * 1000));
        return d.toHours() > 0 ? String.format("%dh%02dm%02ds", d.toHours(), d.toMinutesPart(), d.toSecondsPart())
                : String.format("%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }
}
