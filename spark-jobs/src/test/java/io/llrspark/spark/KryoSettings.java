package io.llrspark.spark;

import org.apache.spark.SparkConf;

import java.util.List;
import java.util.Map;

/**
 * Spark's serializer as the launchers set it by default (submit/lib.sh, llr_serializer_settings): Kryo with ND4J's
 * registrator and ours for records and immutable collections. LaunchersTest checks that the launchers set exactly these, so the tests that use
 * them run what a cluster runs.
 */
public final class KryoSettings {
    public static final Map<String, String> CONF = Map.of(
            "spark.serializer", "org.apache.spark.serializer.KryoSerializer",
            "spark.kryo.registrator",
            "org.nd4j.kryo.Nd4jRegistrator,io.llrspark.spark.JdkKryoRegistrator,io.llrspark.spark.ArrayKryoRegistrator",
            "spark.kryo.registrationRequired", "false",
            "spark.kryoserializer.buffer.max", "1g");

    private KryoSettings() {
    }

    public static SparkConf on(SparkConf conf) {
        CONF.forEach(conf::set);
        return conf;
    }

    /** As the KEY=VALUE arguments of spark-submit's --conf. */
    public static List<String> submitConf() {
        return CONF.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().toList();
    }
}
