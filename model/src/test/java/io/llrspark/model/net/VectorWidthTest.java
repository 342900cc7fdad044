package io.llrspark.model.net;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernels compute the same bits whatever vectors the CPU offers beyond 256 bits, so that a run resumed on an
 * executor of another CPU family continues its trajectory: this JVM's results against a JVM told to use AVX2 and
 * 256-bit vectors at most. On an AVX2 machine both JVMs see the same CPU; on an AVX-512 one the test fails as soon as
 * a kernel follows the preferred (512-bit) species. Below 256 bits (SSE only, as on a JVM capped at 128-bit vectors)
 * the kernels turn themselves off rather than run emulated.
 */
class VectorWidthTest {

    @Test
    void sameBitsWithVectorsCappedAt256Bits() throws Exception {
        VectorKernelsInTests.require();
        String here = "fingerprint " + KernelFingerprint.compute();
        assertEquals(here, child("-XX:UseAVX=2", "-XX:MaxVectorSize=32"), "kernels at AVX2 against this JVM");
    }

    @Test
    void kernelsOffWithoutHardware256BitVectors() throws Exception {
        VectorKernelsInTests.require();
        assertEquals("kernels off", child("-XX:MaxVectorSize=16"));
    }

    /** The last line KernelFingerprint prints in a JVM with this one's flags plus {@code vectorFlags}. */
    private static String child(String... vectorFlags) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-XX:UseAVX") && !arg.startsWith("-XX:MaxVectorSize")) {
                cmd.add(arg);
            }
        }
        cmd.addAll(List.of(vectorFlags));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), KernelFingerprint.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "child JVM did not finish");
        assertEquals(0, p.exitValue(), out);
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1].strip();
    }
}
