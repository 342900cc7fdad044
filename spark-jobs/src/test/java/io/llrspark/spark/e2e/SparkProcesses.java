package io.llrspark.spark.e2e;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real Spark processes for end-to-end tests, from the Maven-resolved Spark classpath (runtime/target) and the built
 * application jar: spark-submit (the SparkSubmit class) and a standalone master with workers, each its own JVM on
 * loopback. Every process started here is stopped by {@link #close()}.
 */
final class SparkProcesses implements AutoCloseable {
    /** The JVM flags the launchers pass, except the Vector API module: see {@link Kernels}. */
    static final String JVM_OPENS = "--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED "
            + "--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED "
            + "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED "
            + "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED "
            + "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED";
    static final String OFFHEAP = "-Dorg.bytedeco.javacpp.maxbytes=3G -Dorg.bytedeco.javacpp.maxphysicalbytes=5G";
    /**
     * What the whole test run passes to every JVM it starts (the build's {@code llr.test.jvm}: e.g. {@code
     * -Dllr.vector=false}, or {@code -XX:UseAVX=2 -XX:MaxVectorSize=32} to run the AVX2 code paths on an AVX-512 CPU).
     */
    static final String TEST_JVM = System.getProperty("llr.test.jvm", "").strip();

    /**
     * Which layer implementations a spark-submit'ed run takes: the Vector API kernels, as the launchers run them, or
     * libnd4j's ops alone (no incubator module), which end-to-end runs must cover too. Runs compared for equality take
     * the same one: the two round differently.
     */
    enum Kernels {
        VECTOR("--add-modules=jdk.incubator.vector"), ND4J_FALLBACK("");

        final String flag;

        Kernels(String flag) {
            this.flag = flag;
        }
    }

    private final Path work;
    private final List<Process> processes = new ArrayList<>();
    private final java.util.Map<String, Process> named = new java.util.HashMap<>();
    private Path logConfig = Path.of("..", "conf", "log4j2.properties").toAbsolutePath();
    private final String classpath;
    private final String appJar;

    SparkProcesses(Path work) throws IOException {
        this.work = work;
        this.appJar = requireFile(System.getProperty("llr.appJar"), "llr.appJar (the application jar)");
        this.classpath = Files.readString(Path.of(requireFile(System.getProperty("llr.sparkClasspath"),
                "llr.sparkClasspath (Spark's classpath file)"))).strip();
    }

    /** The standard error of every executor the workers started (their last 4000 characters each), for failures. */
    String executorLogs() {
        StringBuilder logs = new StringBuilder();
        try (var files = Files.walk(work)) {
            for (Path p : files.filter(f -> f.getFileName().toString().equals("stderr")).sorted().toList()) {
                String text = Files.readString(p);
                logs.append("--- ").append(work.relativize(p)).append(":\n")
                        .append(text.substring(Math.max(0, text.length() - 4000))).append('\n');
            }
        } catch (IOException e) {
            logs.append("(cannot read the executors' logs: ").append(e.getMessage()).append(")");
        }
        return logs.toString();
    }

    /** Where the processes' logs and work directories go. */
    Path work() {
        return work;
    }

    private static String requireFile(String path, String what) {
        if (path == null || !new File(path).isFile()) {
            throw new IllegalStateException(what + " not found at " + path + ": run through 'mvn verify'");
        }
        return path;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The command line of spark-submit with the given master, running our Main with {@code args}; executors started
     * for it take the same kernels and test-wide flags.
     */
    List<String> submit(String master, Kernels kernels, List<String> sparkConf, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx2g"));
        cmd.addAll(words(OFFHEAP));
        cmd.addAll(words(JVM_OPENS));
        cmd.addAll(words(kernels.flag));
        cmd.addAll(words(TEST_JVM));
        cmd.addAll(List.of("-Dlog4j2.configurationFile=" + logConfig,
                "-cp", classpath, "org.apache.spark.deploy.SparkSubmit", "--master", master,
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.ui.enabled=false",
                "--conf", "spark.executor.extraJavaOptions=" + String.join(" ", OFFHEAP, kernels.flag, TEST_JVM).strip()));
        for (String c : sparkConf) {
            cmd.addAll(List.of("--conf", c));
        }
        cmd.addAll(List.of("--class", "io.llrspark.spark.Main", appJar));
        cmd.addAll(args);
        return cmd;
    }

    private static List<String> words(String flags) {
        return flags.isBlank() ? List.of() : List.of(flags.strip().split("\\s+"));
    }

    Process start(String name, List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_SCALA_VERSION", "2.12");
        pb.environment().put("SPARK_HOME", sparkHome().toString());
        Process p = pb.start();
        processes.add(p);
        named.put(name, p);
        return p;
    }

    /**
     * Drivers submitted from now on log the scheduler's task attempts ("Starting task 3.1 ...": a second attempt),
     * beside what the launchers' log configuration shows.
     */
    void logTaskAttempts() throws IOException {
        Path config = work.resolve("log4j2-task-attempts.properties");
        Files.writeString(config, Files.readString(logConfig) + "\nlogger.attempts.name = "
                + "org.apache.spark.scheduler.TaskSetManager\nlogger.attempts.level = info\n");
        logConfig = config;
    }

    /** SIGKILL of a process started here under {@code name} and everything it started (a worker and its executors). */
    void kill(String name) throws InterruptedException {
        Process p = named.get(name);
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor();
    }

    String log(String name) {
        try {
            return Files.readString(work.resolve(name + ".log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * A Spark home made of links to the Maven jars: what standalone workers build executor classpaths from. In
     * target/, shared by the tests, so temporary directories never hold links to the local repository.
     */
    private Path sparkHome() throws IOException {
        Path home = Path.of("target", "spark-home").toAbsolutePath();
        if (Files.isDirectory(home)) {
            return home;
        }
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (String jar : classpath.split(File.pathSeparator)) {
            Path source = Path.of(jar);
            Path link = jars.resolve(source.getFileName());
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, source);
            }
        }
        Files.writeString(home.resolve("RELEASE"), "Spark 3.5.7 (assembled from Maven jars for tests)\n");
        return home;
    }

    /** Starts a standalone master and {@code workers} workers of one core each; returns the master URL. */
    String standaloneCluster(int workers, String workerMemory) throws IOException, InterruptedException {
        int port = freePort();
        int ui = freePort();
        start("master", List.of(java(), "-Xmx512m", "-cp", classpath, "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", String.valueOf(ui)));
        String url = "spark://127.0.0.1:" + port;
        for (int i = 0; i < workers; i++) {
            Path dir = Files.createDirectories(work.resolve("worker-" + i));
            start("worker-" + i, List.of(java(), "-Xmx512m", "-cp", classpath, "org.apache.spark.deploy.worker.Worker",
                    "--host", "127.0.0.1", "--cores", "1", "--memory", workerMemory, "--work-dir", dir.toString(),
                    "--webui-port", String.valueOf(freePort()), url));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            String state = masterState(ui);
            if (state != null && state.contains("\"aliveworkers\" : " + workers)) {
                return url;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("standalone cluster did not come up with " + workers + " workers; master log:\n"
                + log("master") + "\nworker-0 log:\n" + log("worker-0"));
    }

    private static String masterState(int uiPort) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + uiPort + "/json/").toURL()
                    .openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(1000);
            try (var in = c.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return null;
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
