package io.llrspark.spark.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** submit/gpu-discovery.sh against a fake nvidia-smi on PATH: Spark resource JSON, or a clear failure. */
class GpuDiscoveryTest {
    private static final Path SCRIPT = Path.of("..", "submit", "gpu-discovery.sh").toAbsolutePath();

    @TempDir
    Path bin;

    private record Result(int status, String out, String err) {
    }

    private Result run(String fakeOutput, int fakeStatus) throws IOException, InterruptedException {
        if (fakeOutput != null) {
            Path fake = bin.resolve("nvidia-smi");
            Files.writeString(fake, "#!/bin/sh\nprintf '" + fakeOutput + "'\nexit " + fakeStatus + "\n");
            Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString());
        // Only the fake's directory and the basic tools: a real nvidia-smi elsewhere must not be found.
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out, err);
    }

    @Test
    void printsSparkResourceJsonForEveryGpu() throws Exception {
        Result r = run("0\\n1\\n3\\n", 0);
        assertEquals(0, r.status(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("gpu", json.get("name").asText());
        assertEquals(List.of("0", "1", "3"), toList(json.get("addresses")));
    }

    @Test
    void noGpusIsAnEmptyListAndAFailingNvidiaSmiIsAnError() throws Exception {
        Result none = run("", 0);
        assertEquals(0, none.status(), none.err());
        assertEquals(0, new ObjectMapper().readTree(none.out()).get("addresses").size());

        Result failing = run("NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver\\n", 9);
        assertEquals(1, failing.status());
        assertTrue(failing.err().contains("nvidia-smi failed"), failing.err());

        Files.deleteIfExists(bin.resolve("nvidia-smi"));
        Result missing = run(null, 0);
        assertEquals(1, missing.status());
        assertTrue(missing.err().contains("nvidia-smi not found"), missing.err());
    }

    private static List<String> toList(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
