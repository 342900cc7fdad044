package io.llrspark.spark.submit;

import io.llrspark.model.config.ConfigLoader;
import io.llrspark.spark.train.SparkSettings;
import io.llrspark.spark.submit.Launcher.SubmitCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.llrspark.spark.submit.Launcher.ROOT;
import static io.llrspark.spark.submit.Launcher.dryRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kubernetes manifests, the crontab example and the Dockerfiles: they parse, carry the GPU request, a non-root
 * security context and the service account, and agree with what submit/llr-k8s and submit/llr-yarn expect.
 */
class ManifestsTest {
    private static final Path K8S = ROOT.resolve("conf/k8s");
    private static final String DISCOVERY_IN_IMAGE = "/opt/llr/submit/gpu-discovery.sh";

    private static List<Map<String, Object>> documents(Path file) throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml().loadAll(Files.readString(file))) {
            assertTrue(document instanceof Map, file + ": a document that is not a mapping");
            documents.add(map(document));
        }
        return documents;
    }

    private static Map<String, Object> document(Path file, String kind) throws IOException {
        List<Map<String, Object>> matching = documents(file).stream().filter(d -> kind.equals(d.get("kind"))).toList();
        assertEquals(1, matching.size(), file + ": one " + kind);
        return matching.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertTrue(o instanceof Map, "expected a mapping, got " + o);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        assertTrue(o instanceof List, "expected a list, got " + o);
        return (List<Object>) o;
    }

    /** The value at a path of mapping keys, failing with the path when it is missing. */
    private static Object at(Map<String, Object> root, String path) {
        Object o = root;
        for (String key : path.split("\\.")) {
            Object next = map(o).get(key);
            assertNotNull(next, path + ": no " + key + " in " + o);
            o = next;
        }
        return o;
    }

    private static Map<String, String> launcherConf(String... args) throws Exception {
        return dryRun("llr-k8s", Map.of(), args).conf();
    }

    @Test
    void everyManifestParsesAsKubernetesObjects() throws IOException {
        List<Path> manifests;
        try (Stream<Path> files = Files.list(K8S)) {
            manifests = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertEquals(List.of("driver-gpu.yaml", "driver.yaml", "evaluate-cronjob.yaml", "executor-gpu.yaml",
                "executor.yaml", "rbac.yaml"), manifests.stream().map(p -> p.getFileName().toString()).toList());
        for (Path manifest : manifests) {
            for (Map<String, Object> d : documents(manifest)) {
                assertTrue(d.get("apiVersion") instanceof String && d.get("kind") instanceof String,
                        manifest + ": apiVersion and kind in every document");
                assertTrue(d.containsKey("metadata") || "Pod".equals(d.get("kind")), manifest + ": metadata");
            }
        }
    }

    /** Non-root pod and container, the service account, and the container the launcher names. */
    private static Map<String, Object> checkPod(Map<String, Object> spec, String where, String containerName,
                                                String serviceAccount) {
        assertEquals(serviceAccount, spec.get("serviceAccountName"), where);
        assertEquals(Boolean.TRUE, at(spec, "securityContext.runAsNonRoot"), where);
        assertNotEquals(0, at(spec, "securityContext.runAsUser"), where);
        List<Object> containers = list(spec.get("containers"));
        assertEquals(1, containers.size(), where);
        Map<String, Object> container = map(containers.get(0));
        assertEquals(containerName, container.get("name"), where);
        assertEquals(Boolean.FALSE, at(container, "securityContext.allowPrivilegeEscalation"), where);
        assertTrue(list(at(container, "securityContext.capabilities.drop")).contains("ALL"), where);
        return container;
    }

    @ParameterizedTest
    @ValueSource(strings = {"driver", "executor"})
    void podTemplatesRunAsNonRootWithTheServiceAccountAndGpusOnlyOnGpuTemplates(String role) throws Exception {
        Map<String, String> cpu = launcherConf("train", "--config", "local:///etc/llr/c.conf");
        Map<String, String> gpu = launcherConf("--gpus", "1", "train", "--config", "local:///etc/llr/c.conf");
        String account = cpu.get("spark.kubernetes.authenticate.driver.serviceAccountName");
        String containerName = cpu.get("spark.kubernetes." + role + ".podTemplateContainerName");
        String templateKey = "spark.kubernetes." + role + ".podTemplateFile";

        Path cpuTemplate = Path.of(cpu.get(templateKey));
        Map<String, Object> cpuPod = document(cpuTemplate, "Pod");
        Map<String, Object> cpuContainer = checkPod(map(cpuPod.get("spec")), cpuTemplate.toString(), containerName,
                account);
        assertFalse(String.valueOf(cpuContainer.get("resources")).contains("nvidia.com/gpu"), cpuTemplate.toString());

        Path gpuTemplate = Path.of(gpu.get(templateKey));
        assertNotEquals(cpuTemplate, gpuTemplate);
        Map<String, Object> gpuSpec = map(document(gpuTemplate, "Pod").get("spec"));
        Map<String, Object> gpuContainer = checkPod(gpuSpec, gpuTemplate.toString(), containerName, account);
        Object gpuLimit = map(at(gpuContainer, "resources.limits")).get("nvidia.com/gpu");
        assertTrue(gpuLimit instanceof Integer && (Integer) gpuLimit >= 1, gpuTemplate + ": nvidia.com/gpu limit");
        assertTrue(list(gpuSpec.get("tolerations")).stream().map(ManifestsTest::map)
                .anyMatch(t -> "nvidia.com/gpu".equals(t.get("key"))), gpuTemplate + ": tolerates GPU nodes' taint");
    }

    @Test
    void theServiceAccountExistsAndMayCreateExecutorPods() throws Exception {
        Map<String, String> conf = launcherConf("train", "--config", "local:///etc/llr/c.conf");
        String account = conf.get("spark.kubernetes.authenticate.driver.serviceAccountName");
        String namespace = conf.get("spark.kubernetes.namespace");
        Path rbac = K8S.resolve("rbac.yaml");
        Map<String, Object> serviceAccount = document(rbac, "ServiceAccount");
        assertEquals(account, at(serviceAccount, "metadata.name"));
        assertEquals(namespace, at(serviceAccount, "metadata.namespace"));
        Map<String, Object> role = document(rbac, "Role");
        assertTrue(list(role.get("rules")).stream().map(ManifestsTest::map).anyMatch(r ->
                list(r.get("resources")).contains("pods") && list(r.get("verbs")).containsAll(
                        List.of("create", "watch", "delete"))), "the driver creates, watches and deletes pods");
        Map<String, Object> binding = document(rbac, "RoleBinding");
        assertEquals(at(role, "metadata.name"), at(binding, "roleRef.name"));
        Map<String, Object> subject = map(list(binding.get("subjects")).get(0));
        assertEquals(account, subject.get("name"));
        assertEquals(namespace, subject.get("namespace"));
    }

    @Test
    void theCronJobRunsEvaluateNewThroughTheLauncherWithAValidConfiguration(@TempDir Path dir) throws Exception {
        Path file = K8S.resolve("evaluate-cronjob.yaml");
        Map<String, Object> cronJob = document(file, "CronJob");
        assertEquals("batch/v1", cronJob.get("apiVersion"));
        assertEquals(5, String.valueOf(at(cronJob, "spec.schedule")).trim().split("\\s+").length);
        Map<String, Object> pod = map(at(cronJob, "spec.jobTemplate.spec.template.spec"));
        Map<String, String> defaults = launcherConf("train", "--config", "local:///etc/llr/c.conf");
        Map<String, Object> container = checkPod(pod, file.toString(), "submit",
                defaults.get("spark.kubernetes.authenticate.driver.serviceAccountName"));
        assertEquals("Never", pod.get("restartPolicy"));

        // Its command is the image's launcher; run here with the same arguments, it submits evaluate-new.
        assertEquals(List.of("/opt/llr/submit/llr-k8s"), list(container.get("command")));
        List<String> args = list(container.get("args")).stream().map(String::valueOf).toList();
        Map<String, String> env = new HashMap<>();
        for (Object o : list(container.get("env"))) {
            Map<String, Object> variable = map(o);
            if (variable.get("value") != null) {
                env.put(String.valueOf(variable.get("name")), String.valueOf(variable.get("value")));
            }
        }
        SubmitCommand submitted = dryRun("llr-k8s", env, args.toArray(String[]::new));
        int checkpoints = submitted.appArgs().indexOf("--checkpoints");
        assertEquals("evaluate-new", submitted.appArgs().get(0));
        assertTrue(checkpoints > 0 && submitted.appArgs().get(checkpoints + 1).matches("[a-z0-9]+://.+"),
                submitted.appArgs().toString());
        assertEquals(container.get("image"), submitted.conf().get("spark.kubernetes.container.image"));

        // Its --config is a key of the config map the driver template mounts, and a valid configuration.
        String config = submitted.appArgs().get(submitted.appArgs().indexOf("--config") + 1);
        Path mountPath = Path.of(config).getParent();
        Map<String, Object> driver = map(document(Path.of(defaults.get("spark.kubernetes.driver.podTemplateFile")),
                "Pod").get("spec"));
        Map<String, Object> mount = list(map(list(driver.get("containers")).get(0)).get("volumeMounts")).stream()
                .map(ManifestsTest::map).filter(m -> mountPath.toString().equals(m.get("mountPath"))).findFirst()
                .orElseThrow(() -> new AssertionError("the driver template mounts nothing at " + mountPath));
        Map<String, Object> volume = list(driver.get("volumes")).stream().map(ManifestsTest::map)
                .filter(v -> mount.get("name").equals(v.get("name"))).findFirst().orElseThrow();
        Map<String, Object> configMap = document(file, "ConfigMap");
        assertEquals(at(volume, "configMap.name"), at(configMap, "metadata.name"));
        Object text = map(configMap.get("data")).get(Path.of(config).getFileName().toString());
        assertNotNull(text, "no " + config + " in the config map");
        Path copy = Files.writeString(dir.resolve("evaluate.conf"), String.valueOf(text));
        ConfigLoader.load(copy, List.of());
        SparkSettings.from(ConfigLoader.merge(copy, List.of()));
    }

    @Test
    void theCrontabExampleRunsEvaluateNewOnYarnHourly() throws IOException {
        List<String> entries = Files.readAllLines(ROOT.resolve("conf/cron/evaluate-new.crontab")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#") && !l.matches("[A-Z_]+=.*")).toList();
        assertEquals(1, entries.size(), entries.toString());
        String[] fields = entries.get(0).trim().split("\\s+", 6);
        for (int i = 0; i < 5; i++) {
            assertTrue(fields[i].matches("[0-9*/,-]+"), "cron field " + fields[i]);
        }
        Matcher m = Pattern.compile("submit/llr-yarn .*evaluate-new --config \\S+ --checkpoints [a-z]+://\\S+")
                .matcher(fields[5]);
        assertTrue(m.find(), fields[5]);
    }

    /** The images hold what the launcher and pod templates point at, and run as a non-root user. */
    @Test
    void theImagesHoldTheJarAndTheDiscoveryScriptAndRunAsNonRoot() throws Exception {
        String cpu = Files.readString(ROOT.resolve("docker/Dockerfile"));
        String cuda = Files.readString(ROOT.resolve("docker/Dockerfile.cuda"));
        Map<String, String> gpuConf = launcherConf("--gpus", "1", "train", "--config", "local:///etc/llr/c.conf");
        assertEquals(DISCOVERY_IN_IMAGE, gpuConf.get("spark.executor.resource.gpu.discoveryScript"));
        SubmitCommand k8s = dryRun("llr-k8s", Map.of(), "train", "--config", "local:///etc/llr/c.conf");
        String jarInImage = k8s.jar().substring("local://".length());

        assertTrue(cpu.matches("(?s).*ARG SPARK_IMAGE=apache/spark:3\\.5\\.\\d+-scala2\\.12-java17\\S*.*"), "Spark 3.5");
        assertTrue(cpu.contains("ARG APP_JAR=spark-jobs/target/llr-spark-app.jar"));
        assertTrue(cpu.matches("(?s).*COPY [^\\n]*\\$\\{APP_JAR} " + Pattern.quote(jarInImage) + "\\n.*"), "app jar");
        assertTrue(cpu.matches("(?s).*COPY [^\\n]*submit/gpu-discovery.sh[^\\n]* "
                + Pattern.quote(Path.of(DISCOVERY_IN_IMAGE).getParent() + "/") + "\\n.*"), "discovery script");
        assertTrue(cpu.contains("COPY conf/k8s/ /opt/llr/conf/k8s/") && cpu.contains("submit/llr-k8s"),
                "the CronJob runs the launcher and its pod templates from the image");
        assertTrue(cuda.matches("(?s).*ARG CUDA_IMAGE=nvidia/cuda:11\\.6\\.\\d+-cudnn8-runtime-\\S+.*"),
                "CUDA 11.6 and cuDNN 8, as nd4j-cuda-11.6 expects");
        assertTrue(cuda.contains("ARG APP_JAR=spark-jobs/target/cuda/llr-spark-app.jar"));
        assertTrue(cuda.matches("(?s).*COPY [^\\n]*\\$\\{APP_JAR} " + Pattern.quote(jarInImage) + "\\n.*"), "app jar");
        assertTrue(cuda.contains("COPY --from=cpu /opt/llr/submit /opt/llr/submit"), "discovery script");
        for (String dockerfile : List.of(cpu, cuda)) {
            List<String> users = dockerfile.lines().filter(l -> l.startsWith("USER ")).toList();
            assertFalse(users.isEmpty());
            String last = users.get(users.size() - 1).substring(5).trim();
            assertTrue(last.equals("${SPARK_UID}") && dockerfile.contains("ARG SPARK_UID=185"), last);
        }
        // The build context is filtered: whatever an image copies from it must be let through.
        String ignore = Files.readString(ROOT.resolve("docker/Dockerfile.dockerignore"));
        for (String source : List.of("spark-jobs/target/llr-spark-app.jar", "submit/llr-k8s", "submit/lib.sh",
                "submit/gpu-discovery.sh", "conf/k8s/")) {
            assertTrue(ignore.contains("!" + source + "\n"), source);
        }
        assertTrue(Files.readString(ROOT.resolve("docker/Dockerfile.cuda.dockerignore"))
                .contains("!spark-jobs/target/cuda/llr-spark-app.jar\n"));
    }
}
