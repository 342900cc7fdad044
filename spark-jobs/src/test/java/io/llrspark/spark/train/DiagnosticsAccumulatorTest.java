package io.llrspark.spark.train;

import io.llrspark.model.objective.StepDiagnostics;
import io.llrspark.model.train.DiagnosticsAverage;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DiagnosticsAccumulatorTest {

    /**
     * The same partitions computed to success twice, as when Spark recomputes a stage whose output was lost with an
     * executor: each partition's steps, and their time, count once. A plain sum would count 8 steps.
     */
    @Test
    void aPartitionComputedTwiceCountsOnce() {
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("accumulator-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            DiagnosticsAccumulator diagnostics = new DiagnosticsAccumulator();
            sc.sc().register(diagnostics, "diagnostics");
            JavaRDD<Integer> steps = sc.parallelize(List.of(1, 2, 3, 4), 2);
            for (int run = 0; run < 2; run++) {
                steps.foreach(step -> {
                    DiagnosticsAverage d = new DiagnosticsAverage();
                    d.add(new StepDiagnostics(step, step, 1, 1), 10);
                    d.addStepNanos(1000L * step);
                    diagnostics.add(d);
                });
            }
            DiagnosticsAverage total = diagnostics.value();
            assertEquals(4, total.steps());
            assertEquals(40, total.examples());
            assertEquals(2.5, (Double) total.toMap().get("clean_ce"), 1e-12);
            assertEquals(10_000, total.stepNanos(), "the steps' time counts once too");
        }
    }
}
