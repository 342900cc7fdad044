package io.llrspark.spark;

import org.apache.spark.SparkConf;

import java.util.List;
import java.util.Map;

/**
 * Spark's serializer unless the user chose one: Kryo with ND4J's registrator (dl4j-spark's, registering nd4j-kryo's
 * and kryo-serializers' serializers) and ours, for records and immutable collections (which Spark's Kryo 4 cannot
 * rebuild) and for arrays as raw bytes. The driver sets it ({@link Main}), and executors take the driver's settings,
 * so the launchers name no class of ours; {@code --no-kryo} chooses Java serialization by setting spark.serializer.
 */
public final class KryoSettings {
    public static final String SERIALIZER = "spark.serializer";
    public static final Map<String, String> CONF = Map.of(
            SERIALIZER, "org.apache.spark.serializer.KryoSerializer",
            "spark.kryo.registrator", String.join(",", "org.nd4j.kryo.Nd4jRegistrator",
                    JdkKryoRegistrator.class.getName(), ArrayKryoRegistrator.class.getName()),
            // The registrators cover a few classes only: a cluster's spark-defaults.conf must not require all.
            "spark.kryo.registrationRequired", "false",
            "spark.kryoserializer.buffer.max", "1g");

    private KryoSettings() {
    }

    public static SparkConf on(SparkConf conf) {
        CONF.forEach(conf::set);
        return conf;
    }

    /** Kryo as above when no serializer is set, else the settings as they are. */
    public static SparkConf unlessChosen(SparkConf conf) {
        return conf.contains(SERIALIZER) ? conf : on(conf);
    }

    /** As the KEY=VALUE arguments of spark-submit's --conf. */
    public static List<String> submitConf() {
        return CONF.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().toList();
    }
}
