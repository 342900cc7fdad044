package io.llrspark.model.net.kernels;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernels at 256-bit vectors compute what they compute at this CPU's width, to float rounding: the same test on an
 * AVX2 and on an AVX-512 machine, where the suite's other kernel tests cover the native width only (on AVX-512, this
 * one covers the 8-lane loops and their tails too). With 128-bit vectors the kernels turn themselves off.
 */
class VectorWidthTest {

    @Test
    void sameResultsWithVectorsCappedAt256Bits() throws Exception {
        VectorKernelsInTests.require();
        Map<String, Double> here = KernelFingerprint.compute();
        List<String> lines = child("-XX:UseAVX=2", "-XX:MaxVectorSize=32");
        assertEquals("lanes 8", lines.get(0));
        assertEquals(here.size(), lines.size() - 1, String.join("\n", lines));
        for (String line : lines.subList(1, lines.size())) {
            String[] nameAndSum = line.split(" ");
            double expected = here.get(nameAndSum[0]);
            double got = Double.parseDouble(nameAndSum[1]);
            assertEquals(expected, got, 1e-5 * Math.max(1, Math.abs(expected)), nameAndSum[0] + " at 8 lanes against "
                    + VectorKernels.SPECIES.length());
        }
    }

    @Test
    void kernelsOffWithoutHardware256BitVectors() throws Exception {
        VectorKernelsInTests.require();
        assertEquals(List.of("kernels off"), child("-XX:MaxVectorSize=16"));
    }

    /** What KernelFingerprint prints, after the JVM's own lines, in a JVM with this one's flags plus {@code vectorFlags}. */
    private static List<String> child(String... vectorFlags) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-XX:UseAVX") && !arg.startsWith("-XX:MaxVectorSize")) {
                cmd.add(arg);
            }
        }
        cmd.addAll(List.of(vectorFlags));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), KernelFingerprint.class.getName()));
        // ND4J logs to stderr; the fingerprint is all of stdout.
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "child JVM did not finish");
        assertEquals(0, p.exitValue(), out);
        return out.strip().lines().map(String::strip).toList();
    }
}
