package io.llrspark.spark.submit;

import io.llrspark.model.config.ConfigLoader;
import io.llrspark.spark.submit.Launcher.Result;
import io.llrspark.spark.submit.Launcher.SubmitCommand;
import org.apache.spark.deploy.SparkSubmitArguments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import scala.Tuple2;
import scala.collection.JavaConverters;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.llrspark.spark.submit.Launcher.HELPERS_FLAG;
import static io.llrspark.spark.submit.Launcher.ROOT;
import static io.llrspark.spark.submit.Launcher.dryRun;
import static io.llrspark.spark.submit.Launcher.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * submit/llr-yarn and submit/llr-k8s: the spark-submit command each produces, and how each refuses bad input; and the
 * serializer settings submit/llr-local shares with them.
 */
class LaunchersTest {
    private static final Map<String, String> SPARK_HOME = Map.of("SPARK_HOME", "/opt/spark");
    private static final String QUICKSTART = "conf/quickstart.conf";

    @Test
    void yarnSubmitsTheJobInClusterModeWithItsConfigurationShipped() throws Exception {
        SubmitCommand c = dryRun("llr-yarn", SPARK_HOME, "train", "--config", QUICKSTART, "--set",
                "llr.training.epochs=3");
        assertEquals("/opt/spark/bin/spark-submit", c.executable());
        assertEquals("yarn", c.option("--master"));
        assertEquals("cluster", c.option("--deploy-mode"));
        assertEquals("io.llrspark.spark.Main", c.option("--class"));
        assertEquals(ROOT.resolve("spark-jobs/target/llr-spark-app.jar").toString(), c.jar());
        // The driver runs in a YARN container: the configuration goes with --files, as one file the jar rendered.
        assertEquals(List.of("train", "--config", "quickstart.conf", "--set", "llr.training.epochs=3"), c.appArgs());
        assertSameRun(c.option("--files"), ROOT.resolve(QUICKSTART), "llr.training.epochs=3");
        assertNull(c.option("--queue"));

        Map<String, String> conf = c.conf();
        assertEquals("2", conf.get("spark.executor.instances"));
        assertEquals("4", conf.get("spark.executor.cores"));
        assertEquals("1", conf.get("spark.task.cpus"));
        assertEquals("8", conf.get("spark.default.parallelism"));
        assertEquals("1", conf.get("spark.executorEnv.OMP_NUM_THREADS"));
        assertEquals("10000", conf.get("spark.executorEnv.GOMP_SPINCOUNT"));
        assertEquals("false", conf.get("spark.dynamicAllocation.enabled"));
        assertEquals("1", conf.get("spark.yarn.maxAppAttempts"));
        assertTrue(conf.keySet().stream().noneMatch(k -> k.contains("gpu")), conf.toString());
        assertTrue(conf.keySet().stream().noneMatch(k -> k.contains("kryo") || k.contains("serializer")),
                "the driver chooses the serializer: " + conf);
    }

    /**
     * The file the launcher ships holds the run the driver would have read from the original (its includes and
     * overrides): the same resolved configuration, read back by the same loader.
     */
    private static void assertSameRun(String shipped, Path original, String... overrides) {
        Path rendered = Path.of(shipped);
        assertEquals(original.getFileName(), rendered.getFileName(), "the driver is told the original's name");
        assertTrue(Files.isRegularFile(rendered), shipped);
        assertEquals(ConfigLoader.load(original, List.of(overrides)).rendered(),
                ConfigLoader.load(rendered, List.of()).rendered());
    }

    @Test
    void includesFromOtherFoldersTravelInsideTheRenderedFile(@TempDir Path dir) throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Files.writeString(shared.resolve("data.conf"), "llr.data.train-limit = 1234\n");
        Path main = Files.writeString(dir.resolve("run.conf"), "include file(\"" + ROOT.resolve(QUICKSTART) + "\")\n"
                + "include \"shared/data.conf\"\nllr.training.epochs = 5\n");
        SubmitCommand c = dryRun("llr-yarn", Map.of(), "train", "--config", main.toString());
        assertSameRun(c.option("--files"), main);
        String shipped = Files.readString(Path.of(c.option("--files")));
        assertTrue(shipped.contains("train-limit=1234") && shipped.contains("epochs=5"), shipped);
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(Path.of(c.option("--files"))), "a configuration may hold credentials");
    }

    @Test
    void memoryCoversHeapOffHeapAndTheJvmsOwnNativeMemory() throws Exception {
        Map<String, String> conf = dryRun("llr-yarn", Map.of("LLR_DRIVER_OFFHEAP", "1g"), "--executor-memory", "10g",
                "--executor-offheap", "6G", "--driver-memory", "2048", "train", "--config", QUICKSTART).conf();
        assertEquals("10240m", conf.get("spark.executor.memory"));
        // off-heap 6144 + max(384, 10240 / 10)
        assertEquals("7168m", conf.get("spark.executor.memoryOverhead"));
        String executor = conf.get("spark.executor.extraJavaOptions");
        assertTrue(executor.contains("-Dorg.bytedeco.javacpp.maxbytes=6144m"), executor);
        assertTrue(executor.contains("-Dorg.bytedeco.javacpp.maxphysicalbytes=16384m"), executor);
        assertTrue(executor.contains("--add-opens=java.base/java.nio=ALL-UNNAMED"), executor);
        assertEquals("2048m", conf.get("spark.driver.memory"));
        assertEquals("1408m", conf.get("spark.driver.memoryOverhead"));
        String driver = conf.get("spark.driver.extraJavaOptions");
        assertTrue(driver.contains("-Dorg.bytedeco.javacpp.maxbytes=1024m"), driver);
        assertTrue(driver.contains("-Dorg.bytedeco.javacpp.maxphysicalbytes=3072m"), driver);
    }

    @Test
    void yarnGpusAreSparkResourcesWithTheDiscoveryScriptShipped() throws Exception {
        SubmitCommand c = dryRun("llr-yarn", Map.of(), "--executors", "3", "--executor-cores", "8", "--gpus", "2",
                "--queue", "gpu", "run", "--config", QUICKSTART);
        Map<String, String> conf = c.conf();
        assertEquals("2", conf.get("spark.executor.resource.gpu.amount"));
        assertEquals("1", conf.get("spark.task.resource.gpu.amount"));
        // One task per GPU, each with its share of the cores; the default parallelism counts those tasks.
        assertEquals("4", conf.get("spark.task.cpus"));
        assertEquals("4", conf.get("spark.executorEnv.OMP_NUM_THREADS"));
        assertEquals("6", conf.get("spark.default.parallelism"));
        assertEquals("./gpu-discovery.sh", conf.get("spark.executor.resource.gpu.discoveryScript"));
        // The cuda jar's ND4J has only its CUDA backend, so the driver gets a GPU too.
        assertEquals("1", conf.get("spark.driver.resource.gpu.amount"));
        assertEquals("./gpu-discovery.sh", conf.get("spark.driver.resource.gpu.discoveryScript"));
        Path script = ROOT.resolve("submit/gpu-discovery.sh");
        assertTrue(Arrays.asList(c.option("--files").split(",")).contains(script.toString()), c.option("--files"));
        assertTrue(Files.isExecutable(script));
        // Spark asks YARN for yarn.io/gpu itself and refuses a job that sets spark.yarn.*.resource.yarn.io/gpu.amount.
        assertTrue(conf.keySet().stream().noneMatch(k -> k.contains("yarn.io/gpu")), conf.toString());
        assertEquals("gpu", c.option("--queue"));
        assertEquals(ROOT.resolve("spark-jobs/target/cuda/llr-spark-app.jar").toString(), c.jar());
    }

    @Test
    void kubernetesSubmitsTheImagesJarWithPodTemplatesAndServiceAccount() throws Exception {
        SubmitCommand c = dryRun("llr-k8s", SPARK_HOME, "--namespace", "research", "--image", "registry/llr-spark:1",
                "--service-account", "trainer", "evaluate", "--config", "local:///etc/llr/eval.conf", "--checkpoint",
                "s3a://runs/r/checkpoints/epoch-2");
        assertEquals("/opt/spark/bin/spark-submit", c.executable());
        assertEquals("k8s://https://kubernetes.default.svc:443", c.option("--master"));
        assertEquals("cluster", c.option("--deploy-mode"));
        assertEquals("io.llrspark.spark.Main", c.option("--class"));
        assertEquals("local:///opt/llr/llr-spark-app.jar", c.jar());
        assertEquals(List.of("evaluate", "--config", "/etc/llr/eval.conf", "--checkpoint",
                "s3a://runs/r/checkpoints/epoch-2"), c.appArgs());
        assertNull(c.option("--files"), "a local:// configuration is in the driver's container already");

        Map<String, String> conf = c.conf();
        assertEquals("research", conf.get("spark.kubernetes.namespace"));
        assertEquals("registry/llr-spark:1", conf.get("spark.kubernetes.container.image"));
        assertEquals("trainer", conf.get("spark.kubernetes.authenticate.driver.serviceAccountName"));
        assertEquals(ROOT.resolve("conf/k8s/driver.yaml").toString(), conf.get("spark.kubernetes.driver.podTemplateFile"));
        assertEquals(ROOT.resolve("conf/k8s/executor.yaml").toString(),
                conf.get("spark.kubernetes.executor.podTemplateFile"));
        assertEquals("driver", conf.get("spark.kubernetes.driver.podTemplateContainerName"));
        assertEquals("executor", conf.get("spark.kubernetes.executor.podTemplateContainerName"));
        assertTrue(conf.keySet().stream().noneMatch(k -> k.contains("gpu")), conf.toString());
    }

    @Test
    void kubernetesGpusAreNvidiaResourcesOnTheGpuPodTemplates() throws Exception {
        Map<String, String> conf = dryRun("llr-k8s", Map.of("LLR_GPUS", "1"), "train", "--config",
                "local:///etc/llr/train.conf").conf();
        assertEquals("1", conf.get("spark.executor.resource.gpu.amount"));
        assertEquals("nvidia.com", conf.get("spark.executor.resource.gpu.vendor"));
        assertEquals("1", conf.get("spark.task.resource.gpu.amount"));
        assertEquals("4", conf.get("spark.task.cpus"));
        assertEquals("1", conf.get("spark.driver.resource.gpu.amount"));
        assertEquals("nvidia.com", conf.get("spark.driver.resource.gpu.vendor"));
        assertEquals("/opt/llr/submit/gpu-discovery.sh", conf.get("spark.executor.resource.gpu.discoveryScript"));
        assertEquals("/opt/llr/submit/gpu-discovery.sh", conf.get("spark.driver.resource.gpu.discoveryScript"));
        assertEquals("llr-spark:cuda", conf.get("spark.kubernetes.container.image"));
        assertEquals(ROOT.resolve("conf/k8s/driver-gpu.yaml").toString(),
                conf.get("spark.kubernetes.driver.podTemplateFile"));
        assertEquals(ROOT.resolve("conf/k8s/executor-gpu.yaml").toString(),
                conf.get("spark.kubernetes.executor.podTemplateFile"));
    }

    @Test
    void kubernetesUploadsALocalConfigurationOnlyThroughAnUploadPath() throws Exception {
        Result refused = run("llr-k8s", Map.of(), "--dry-run", "train", "--config", QUICKSTART);
        assertEquals(2, refused.status());
        assertTrue(refused.err().contains("--upload-path") && refused.err().contains("local:///"), refused.err());
        assertEquals("", refused.out());

        SubmitCommand c = dryRun("llr-k8s", Map.of("LLR_K8S_UPLOAD_PATH", "s3a://bucket/uploads"), "train",
                "--config", QUICKSTART);
        assertEquals("s3a://bucket/uploads", c.conf().get("spark.kubernetes.file.upload.path"));
        assertSameRun(c.option("--files"), ROOT.resolve(QUICKSTART));
        assertEquals(List.of("train", "--config", "quickstart.conf"), c.appArgs());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"llr-yarn, 0", "llr-yarn, 2", "llr-k8s, 0", "llr-k8s, 2"})
    void everyLauncherEnablesDl4jHelpersOnDriverAndExecutors(String launcher, String gpus) throws Exception {
        Map<String, String> conf = dryRun(launcher, Map.of("LLR_GPUS", gpus), "train", "--config",
                "local:///etc/llr/train.conf").conf();
        for (String role : List.of("driver", "executor")) {
            String options = conf.get("spark." + role + ".extraJavaOptions");
            assertTrue(options != null && options.contains(HELPERS_FLAG), role + ": " + options);
            assertTrue(options.contains("-Dorg.bytedeco.javacpp.maxbytes="), role + ": " + options);
            assertTrue(options.contains("-Dorg.bytedeco.javacpp.maxphysicalbytes="), role + ": " + options);
        }
    }

    @ParameterizedTest
    @CsvSource({"llr-yarn", "llr-k8s"})
    void prepareDataRunsOnAClusterLikeEveryOtherCommand(String launcher) throws Exception {
        SubmitCommand c = dryRun(launcher, Map.of(), "prepare-data", "--config", "local:///etc/llr/prepare.conf",
                "--set", "llr.prepare.shard-size=512");
        // A local:/// configuration is read in the driver's container, under its plain path.
        assertEquals(List.of("prepare-data", "--config", "/etc/llr/prepare.conf", "--set",
                "llr.prepare.shard-size=512"), c.appArgs());
    }

    @Test
    void theUsersConfComesLastAndWins() throws Exception {
        SubmitCommand c = dryRun("llr-yarn", Map.of(), "--conf", "spark.driver.maxResultSize=16g", "--conf",
                "spark.eventLog.enabled=true", "bench", "--config", QUICKSTART, "--rounds", "3");
        assertEquals("16g", c.conf().get("spark.driver.maxResultSize"));
        assertEquals("true", c.conf().get("spark.eventLog.enabled"));
        List<String> words = c.arguments();
        assertTrue(words.indexOf("spark.driver.maxResultSize=8g") < words.indexOf("spark.driver.maxResultSize=16g"),
                words.toString());
        assertEquals(List.of("bench", "--config", "quickstart.conf", "--rounds", "3"), c.appArgs());
    }

    @Test
    void environmentVariablesSetDefaultsAndOptionsOverrideThem() throws Exception {
        Map<String, String> env = Map.of("LLR_EXECUTORS", "7", "LLR_EXECUTOR_CORES", "2", "LLR_YARN_QUEUE", "nightly",
                "LLR_APP_JAR", "hdfs:///apps/llr-spark-app.jar");
        SubmitCommand fromEnv = dryRun("llr-yarn", env, "train", "--config", QUICKSTART);
        assertEquals("7", fromEnv.conf().get("spark.executor.instances"));
        assertEquals("14", fromEnv.conf().get("spark.default.parallelism"));
        assertEquals("nightly", fromEnv.option("--queue"));
        assertEquals("hdfs:///apps/llr-spark-app.jar", fromEnv.jar());
        assertEquals("3", dryRun("llr-yarn", env, "--executors", "3", "train", "--config", QUICKSTART).conf()
                .get("spark.executor.instances"));
    }

    /**
     * Kryo is the driver's default (KryoSettings, which the Spark tests run), so the launchers set nothing for it;
     * --no-kryo or LLR_KRYO=0 choose Java serialization, --kryo overrides LLR_KRYO=0.
     */
    @ParameterizedTest
    @CsvSource({"llr-yarn", "llr-k8s"})
    void kryoIsTheDefaultAndCanBeSwitchedOff(String launcher) throws Exception {
        String[] train = {"train", "--config", "local:///etc/llr/train.conf"};
        Map<String, String> conf = dryRun(launcher, Map.of(), train).conf();
        assertTrue(conf.keySet().stream().noneMatch(k -> k.startsWith("spark.kryo") || k.equals("spark.serializer")),
                conf.toString());
        List<Map<String, String>> javaSerialization = List.of(
                dryRun(launcher, Map.of(), withFirst("--no-kryo", train)).conf(),
                dryRun(launcher, Map.of("LLR_KRYO", "0"), train).conf());
        for (Map<String, String> off : javaSerialization) {
            assertEquals("org.apache.spark.serializer.JavaSerializer", off.get("spark.serializer"), off.toString());
        }
        assertEquals(conf, dryRun(launcher, Map.of("LLR_KRYO", "0"), withFirst("--kryo", train)).conf(),
                "--kryo overrides LLR_KRYO=0");

        Result bad = run(launcher, Map.of("LLR_KRYO", "yes"), withFirst("--dry-run", train));
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("LLR_KRYO must be 0 or 1, got 'yes'"), bad.err());
    }

    /**
     * submit/llr-local takes its serializer from the same lib.sh function (read before it builds the jar, so a bad
     * value costs nothing).
     */
    @Test
    void llrLocalReadsLlrKryoThroughTheSharedSettings() throws Exception {
        Result bad = run("llr-local", Map.of("LLR_KRYO", "2"), "train", "--config", QUICKSTART);
        assertEquals(2, bad.status(), bad.err());
        assertEquals("llr-local: LLR_KRYO must be 0 or 1, got '2'\n", bad.err());
        assertEquals("", bad.out());
    }

    /**
     * LLR_PORTABLE_ISA=avx2 caps every JVM's vectors and libnd4j's oneDNN and OpenBLAS kernels at AVX2: on the
     * executors and on the driver, which runs in a YARN container or a pod. A value it does not know stops it.
     */
    @ParameterizedTest
    @CsvSource({"llr-yarn, spark.yarn.appMasterEnv", "llr-k8s, spark.kubernetes.driverEnv"})
    void portableIsaCapsJvmAndNativeKernelsOnExecutorsAndDriver(String launcher, String driverEnv) throws Exception {
        // A config the driver finds wherever it runs: in YARN's container (shipped), in the image (local://).
        String[] train = {"train", "--config", launcher.equals("llr-k8s") ? "local:///etc/llr/run.conf" : QUICKSTART};
        Map<String, String> conf = dryRun(launcher, Map.of("LLR_PORTABLE_ISA", "avx2"), train).conf();
        for (String env : List.of("spark.executorEnv", driverEnv)) {
            assertEquals("AVX2", conf.get(env + ".ONEDNN_MAX_CPU_ISA"), env);
            assertEquals("AVX2", conf.get(env + ".DNNL_MAX_CPU_ISA"), env);
            assertEquals("Haswell", conf.get(env + ".OPENBLAS_CORETYPE"), env);
        }
        for (String role : List.of("executor", "driver")) {
            String options = conf.get("spark." + role + ".extraJavaOptions");
            assertTrue(options.endsWith(" -XX:UseAVX=2 -XX:MaxVectorSize=32"), options);
        }
        Map<String, String> plain = dryRun(launcher, Map.of(), train).conf();
        assertTrue(plain.keySet().stream().noneMatch(k -> k.endsWith("_CPU_ISA") || k.endsWith("OPENBLAS_CORETYPE")),
                plain.toString());
        assertTrue(!plain.get("spark.executor.extraJavaOptions").contains("MaxVectorSize"));

        Result bad = run(launcher, Map.of("LLR_PORTABLE_ISA", "avx512"), withFirst("--dry-run", train));
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("LLR_PORTABLE_ISA must be avx2 or unset, got 'avx512'"), bad.err());
    }

    private static String[] withFirst(String option, String... args) {
        String[] words = new String[args.length + 1];
        words[0] = option;
        System.arraycopy(args, 0, words, 1, args.length);
        return words;
    }

    @Test
    void s3aSettingsAreOptIn() throws Exception {
        SubmitCommand c = dryRun("llr-yarn", Map.of(), "--s3a", "--s3a-endpoint", "http://minio:9000",
                "train", "--config", QUICKSTART);
        Map<String, String> conf = c.conf();
        assertEquals("http://minio:9000", conf.get("spark.hadoop.fs.s3a.endpoint"));
        assertEquals("true", conf.get("spark.hadoop.fs.s3a.path.style.access"));
        assertEquals("org.apache.hadoop:hadoop-aws:3.3.4", c.option("--packages"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "llr-yarn| | no command given",
            "llr-yarn| --bogus train --config conf/quickstart.conf | unknown option '--bogus'",
            "llr-yarn| trian --config conf/quickstart.conf | unknown command 'trian': one of train, evaluate,",
            "llr-yarn| train --config conf/quickstart.conf --set llr.training.epochz=3 | unknown key llr.training.epochz",
            "llr-k8s| --upload-path s3a://b/u evaluate --config conf/quickstart.conf --set llr.evaluation.attacks=[pgd] | unknown attack 'pgd'",
            "llr-yarn| train | train needs --config FILE",
            "llr-yarn| train --config conf/missing.conf | --config conf/missing.conf: no such file",
            "llr-yarn| train --config s3a://bucket/x.conf | give a path on this machine",
            "llr-yarn| --executors | --executors needs a value",
            "llr-yarn| --executors two train --config conf/quickstart.conf | --executors (LLR_EXECUTORS) needs an integer >= 1, got 'two'",
            "llr-yarn| --executors 0 train --config conf/quickstart.conf | --executors (LLR_EXECUTORS) needs an integer >= 1, got '0'",
            "llr-yarn| --executor-memory 12x train --config conf/quickstart.conf | --executor-memory (LLR_EXECUTOR_MEMORY) needs a size",
            "llr-yarn| --gpus 3 train --config conf/quickstart.conf | --executor-cores (4) must be a multiple of --gpus (3)",
            "llr-yarn| --gpus 2 --task-cpus 2 train --config conf/quickstart.conf | --task-cpus (LLR_TASK_CPUS) does not go with --gpus",
            "llr-yarn| --conf spark.x train --config conf/quickstart.conf | --conf needs KEY=VALUE",
            "llr-yarn| --namespace llr train --config conf/quickstart.conf | unknown option '--namespace'",
            "llr-k8s| --queue q train --config local:///c.conf | unknown option '--queue'",
            "llr-k8s| --master yarn train --config local:///c.conf | --master (LLR_K8S_MASTER) must be k8s://",
            "llr-k8s| --pod-templates /nonexistent train --config local:///c.conf | no pod template /nonexistent/driver.yaml",
    })
    void badArgumentsStopWithAMessageNamingThem(String launcher, String args, String message) throws Exception {
        String[] words = args == null ? new String[0] : args.trim().split(" +");
        Result r = run(launcher, Map.of(), withFirst("--dry-run", words));
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().startsWith(launcher + ": ") && r.err().contains(message), r.err());
        assertEquals("", r.out());
    }

    @ParameterizedTest
    @CsvSource({"llr-yarn, --queue", "llr-k8s, --service-account"})
    void helpDescribesTheOptions(String launcher, String ownOption) throws Exception {
        Result r = run(launcher, Map.of(), "--help");
        assertEquals(0, r.status(), r.err());
        for (String expected : List.of("usage: submit/" + launcher, ownOption, "--dry-run", "--gpus", "--executors",
                "--executor-offheap", "--no-kryo", "LLR_KRYO (1)", "--conf KEY=VALUE",
                "evaluate-new --checkpoints RUN_URI")) {
            assertTrue(r.out().contains(expected), expected + " missing from\n" + r.out());
        }
    }

    /** Without --dry-run the launcher runs spark-submit with exactly the words --dry-run prints. */
    @ParameterizedTest
    @CsvSource({"llr-yarn", "llr-k8s"})
    void dryRunPrintsWhatRuns(String launcher, @TempDir Path dir) throws Exception {
        Path spark = dir.resolve("spark");
        Files.createDirectories(spark.resolve("bin"));
        Path submit = spark.resolve("bin/spark-submit");
        Files.writeString(submit, "#!/bin/sh\nprintf '%s\\0' \"$@\" > \"" + dir.resolve("args") + "\"\n");
        Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = Files.writeString(dir.resolve("app.jar"), "not a jar");
        Map<String, String> env = Map.of("SPARK_HOME", spark.toString(), "HADOOP_CONF_DIR", dir.toString(),
                "LLR_K8S_UPLOAD_PATH", "s3a://bucket/uploads");
        String[] args = {"--jar", jar.toString(), "--gpus", "1", "evaluate-new", "--config", QUICKSTART,
                "--checkpoints", "hdfs:///runs/r", "--set", "llr.evaluation.examples=100"};

        Result ran = run(launcher, env, args);
        assertEquals(0, ran.status(), ran.err());
        List<String> executed = Arrays.asList(Files.readString(dir.resolve("args"), StandardCharsets.UTF_8)
                .split("\0"));
        SubmitCommand printed = dryRun(launcher, env, args);
        assertEquals(submit.toString(), printed.executable());
        assertEquals(printed.arguments(), executed);
    }

    /** Spark's own argument parser reads each command as meant: no unknown option, every setting where it belongs. */
    @ParameterizedTest
    @CsvSource({"llr-yarn", "llr-k8s"})
    void sparkSubmitParsesTheCommand(String launcher) throws Exception {
        SubmitCommand c = dryRun(launcher, Map.of("LLR_K8S_UPLOAD_PATH", "s3a://bucket/uploads"), "--gpus", "2",
                "train", "--config", QUICKSTART, "--resume");
        scala.collection.immutable.Map<String, String> env = scala.collection.immutable.Map$.MODULE$
                .<String, String>empty().$plus(new Tuple2<>("HADOOP_CONF_DIR", "/etc/hadoop/conf"));
        SparkSubmitArguments parsed = new SparkSubmitArguments(
                JavaConverters.asScalaBuffer(c.arguments()).toList(), env);
        assertEquals(c.option("--master"), parsed.master());
        assertEquals("cluster", parsed.deployMode());
        assertEquals("io.llrspark.spark.Main", parsed.mainClass());
        assertEquals(List.of("train", "--config", "quickstart.conf", "--resume"),
                JavaConverters.seqAsJavaList(parsed.childArgs()));
        assertTrue(parsed.primaryResource().endsWith("llr-spark-app.jar"), parsed.primaryResource());
        assertTrue(parsed.files().contains("quickstart.conf"), parsed.files());
        Map<String, String> properties = JavaConverters.mapAsJavaMap(parsed.sparkProperties());
        assertEquals(c.conf(), Map.copyOf(properties));
        assertTrue(properties.get("spark.executor.extraJavaOptions").contains(HELPERS_FLAG));
        assertEquals("2", properties.get("spark.executor.resource.gpu.amount"));
    }
}
