package io.llrspark.spark.e2e;

import io.llrspark.spark.KryoSettings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The application jar holds our code and its libraries, Kryo's registrators and serializers included, and leaves
 * Spark, Scala, Hadoop and CUDA out.
 */
class AppJarIT {

    @Test
    void holdsTheJobAndItsLibrariesButNotWhatTheClusterProvides() throws IOException {
        String path = System.getProperty("llr.appJar");
        assertNotNull(path, "run through 'mvn verify'");
        try (JarFile jar = new JarFile(path)) {
            assertEquals("io.llrspark.spark.Main", jar.getManifest().getMainAttributes().getValue("Main-Class"));
            for (String present : new String[]{"io/llrspark/spark/Main.class", "io/llrspark/model/objective/LlrObjective.class",
                    "org/deeplearning4j/spark/impl/paramavg/ParameterAveragingTrainingMaster.class",
                    "org/nd4j/linalg/cpu/nativecpu/CpuBackend.class", "com/typesafe/config/ConfigFactory.class"}) {
                assertNotNull(jar.getEntry(present), present + " missing from the app jar");
            }
            for (String absent : new String[]{"org/apache/spark/SparkContext.class", "scala/Option.class",
                    "org/apache/hadoop/fs/FileSystem.class", "org/slf4j/Logger.class",
                    "org/nd4j/linalg/jcublas/JCublasBackend.class"}) {
                assertNull(jar.getEntry(absent), absent + " must be left to the cluster (or the cuda build)");
            }
            // One native build: the oneDNN one our convolutions are fast with, not the plain one nd4j-native's pom pulls.
            String bindings = "org/nd4j/linalg/cpu/nativecpu/bindings/";
            assertNotNull(jar.getEntry(bindings + "linux-x86_64-onednn/libnd4jcpu.so"), "the oneDNN build of libnd4j");
            assertNull(jar.getEntry(bindings + "linux-x86_64/libnd4jcpu.so"), "a second, plain build of libnd4j");
            // Kryo, the launchers' serializer, is Spark's own; its registrators and the serializers they name are ours.
            assertNull(jar.getEntry("com/esotericsoftware/kryo/Kryo.class"), "a second Kryo beside Spark's");
            for (String registrator : KryoSettings.CONF.get("spark.kryo.registrator").split(",")) {
                String entry = registrator.replace('.', '/') + ".class";
                assertNotNull(jar.getEntry(entry), entry + " missing from the app jar");
            }
            for (String serializer : new String[]{"org/nd4j/kryo/Nd4jSerializer.class",
                    "org/nd4j/kryo/primitives/AtomicDoubleSerializer.class",
                    "de/javakaffee/kryoserializers/UnmodifiableCollectionsSerializer.class",
                    "de/javakaffee/kryoserializers/SynchronizedCollectionsSerializer.class"}) {
                assertNotNull(jar.getEntry(serializer), serializer + " missing: Nd4jRegistrator needs it");
            }
            String reference = new String(jar.getInputStream(jar.getEntry("reference.conf")).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertTrue(reference.contains("averaging-frequency") && reference.contains("objective = llr"),
                    "the defaults of every llr.* key");
        }
    }
}
