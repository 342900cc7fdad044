package io.llrspark.model.net;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The CPU backend on the classpath is libnd4j's oneDNN build. Every result holds with the plain build too, only
 * several times slower, so nothing else would notice the build silently changing (e.g. through a transitive dependency).
 */
class NativeBuildTest {

    @Test
    void cpuBackendIsTheOneDnnBuild() {
        assumeTrue(Nd4j.getBackend().getClass().getSimpleName().equals("CpuBackend"), "a CPU build");
        String build = Nd4j.getBackend().buildInfo();
        assertTrue(build.contains("HAVE_ONEDNN"), "libnd4j without oneDNN: " + build);
    }
}
