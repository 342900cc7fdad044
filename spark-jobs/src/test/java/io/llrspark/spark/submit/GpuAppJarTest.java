package io.llrspark.spark.submit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The GPU app jar of {@code mvn -Pcuda package} (spark-jobs/target/cuda/llr-spark-app.jar) holds the CUDA backend
 * with libnd4j's cuDNN build, and no CPU backend. Skipped until that jar is built; the CPU jar's side is AppJarIT's.
 */
class GpuAppJarTest {
    private static final Path JAR = Path.of("target", "cuda", "llr-spark-app.jar").toAbsolutePath();

    @Test
    void holdsTheCudaBackendWithCudnnAndNoCpuBackend() throws IOException {
        assumeTrue(Files.isRegularFile(JAR), "no GPU app jar at " + JAR + " (mvn -B -Pcuda -DskipTests package)");
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertEquals("io.llrspark.spark.Main", jar.getManifest().getMainAttributes().getValue("Main-Class"));
            for (String present : new String[]{"io/llrspark/spark/Main.class",
                    "org/nd4j/linalg/jcublas/JCublasBackend.class",
                    // libnd4j built with cuDNN platform helpers: the "linux-x86_64-cudnn" classifier of nd4j-cuda-11.6
                    "org/nd4j/linalg/jcublas/bindings/linux-x86_64-cudnn/libnd4jcuda.so",
                    "org/nd4j/linalg/jcublas/bindings/linux-x86_64-cudnn/libjnind4jcuda.so"}) {
                assertNotNull(jar.getEntry(present), present + " missing from the GPU app jar");
            }
            for (String absent : new String[]{"org/nd4j/linalg/cpu/nativecpu/CpuBackend.class",
                    "org/apache/spark/SparkContext.class"}) {
                assertNull(jar.getEntry(absent), absent + " must not be in the GPU app jar");
            }
        }
    }
}
