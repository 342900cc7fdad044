package io.llrspark.model.command;

import io.llrspark.model.data.DataFormatException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CommandRunnerTest {

    /** What Spark throws at the driver when a task fails: a checked exception whose cause is the task's. */
    private static final class JobAborted extends Exception {
        JobAborted(Throwable cause) {
            super("Job aborted due to stage failure: Task 1 in stage 0.0 failed 4 times", cause);
        }
    }

    private static int run(Exception thrown, ByteArrayOutputStream err) {
        return CommandRunner.run(new String[]{"go"}, "usage: x go\n", List.of("go"), Set.of(),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8),
                (name, options) -> {
                    throw CommandRunnerTest.<RuntimeException>unchecked(thrown);
                });
    }

    @SuppressWarnings("unchecked")
    private static <T extends Exception> T unchecked(Exception e) throws T {
        throw (T) e;
    }

    /** Bad data found by a task reaches the user as the one line the driver gives for it, with exit status 2. */
    @Test
    void aDataErrorInsideAFailedJobIsOneLineAndStatusTwo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = run(new JobAborted(new RuntimeException("wrapped",
                new DataFormatException("s3a://data/shard-00007.llrs", "record 12: impossible length -3"))), err);
        assertEquals(2, status);
        assertEquals("data error: s3a://data/shard-00007.llrs: record 12: impossible length -3",
                err.toString(StandardCharsets.UTF_8).strip());
    }

    /** Any other job failure keeps its exception (and so its trace and exit status 1). */
    @Test
    void otherJobFailuresAreNotSwallowed() {
        JobAborted aborted = new JobAborted(new ArithmeticException("boom"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> run(aborted, new ByteArrayOutputStream()));
        assertSame(aborted, e.getCause());
        RuntimeException plain = new ArithmeticException("x");
        assertSame(plain, assertThrows(ArithmeticException.class,
                () -> run(plain, new ByteArrayOutputStream())));
    }
}
