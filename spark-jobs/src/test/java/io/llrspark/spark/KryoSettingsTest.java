package io.llrspark.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoRegistrator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The driver's serializer: Kryo with real registrators unless the user (or --no-kryo) chose another. */
class KryoSettingsTest {

    @Test
    void kryoWithNd4jsRegistratorAndOursWhenNoSerializerIsChosen() throws Exception {
        SparkConf conf = KryoSettings.unlessChosen(new SparkConf(false));
        KryoSettings.CONF.forEach((key, value) -> assertEquals(value, conf.get(key), key));
        String registrators = conf.get("spark.kryo.registrator");
        assertTrue(registrators.startsWith("org.nd4j.kryo.Nd4jRegistrator,"), registrators);
        // The registrators named are real classes (dl4j-spark's and ours), not guesses.
        for (String registrator : registrators.split(",")) {
            assertTrue(KryoRegistrator.class.isAssignableFrom(Class.forName(registrator, false,
                    getClass().getClassLoader())), registrator);
        }
    }

    @Test
    void aChosenSerializerIsLeftAsItIs() {
        SparkConf conf = KryoSettings.unlessChosen(new SparkConf(false)
                .set("spark.serializer", "org.apache.spark.serializer.JavaSerializer"));
        assertEquals("org.apache.spark.serializer.JavaSerializer", conf.get("spark.serializer"));
        assertFalse(conf.contains("spark.kryo.registrator"));
    }
}
