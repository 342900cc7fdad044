package io.llrspark.spark.storage;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bounded s3a retries and timeouts, so that an unreachable or failing store costs seconds to a minute and a message,
 * not a silent hang: s3a's own defaults (20 SDK attempts under 7 of its own retries, a 200 s socket timeout) keep a
 * job quiet for many minutes on a closed port. Each is a default only: a value given with {@code --conf
 * spark.hadoop.fs.s3a...} or in the cluster's {@code core-site.xml} wins. Every retry is logged by
 * {@link RetryLoggingS3ClientFactory}.
 */
public final class S3aDefaults {
    /**
     * {@link RetryLoggingS3ClientFactory} by name: naming the class would load it, and with it hadoop-aws, which
     * a cluster that never uses s3a need not have.
     */
    static final String RETRY_LOGGING_FACTORY = "io.llrspark.spark.storage.RetryLoggingS3ClientFactory";
    private static final String FACTORY_KEY = "fs.s3a.s3.client.factory.impl";

    /** The Hadoop keys and their values here; the README's S3 paragraph lists the same. */
    public static final Map<String, String> VALUES;

    static {
        Map<String, String> v = new LinkedHashMap<>();
        v.put(FACTORY_KEY, RETRY_LOGGING_FACTORY);
        v.put("fs.s3a.attempts.maximum", "4");
        v.put("fs.s3a.retry.limit", "3");
        v.put("fs.s3a.retry.interval", "500ms");
        v.put("fs.s3a.retry.throttle.limit", "6");
        v.put("fs.s3a.connection.establish.timeout", "5000");
        v.put("fs.s3a.connection.timeout", "30000");
        VALUES = java.util.Collections.unmodifiableMap(v);
    }

    private S3aDefaults() {
    }

    /**
     * Sets each default as {@code spark.hadoop.KEY} unless Spark's settings or a Hadoop site file already give it.
     * The retry-logging client only where s3a can load it: s3a 3.3.4 loads its client factory through the class
     * loader of its own classes, not the application's, so the factory must sit beside hadoop-aws (as in
     * submit/llr-local, and on clusters that add hadoop-aws with {@code --packages}); elsewhere s3a's own client
     * retries as bounded, without the log lines.
     */
    public static SparkConf applyTo(SparkConf conf) {
        Configuration site = new Configuration();
        VALUES.forEach((key, value) -> {
            boolean usable = !key.equals(FACTORY_KEY) || visibleToS3a(value);
            if (usable && !setBySite(site, key)) {
                conf.setIfMissing("spark.hadoop." + key, value);
            }
        });
        return conf;
    }

    private static boolean visibleToS3a(String factory) {
        try {
            ClassLoader s3a = Class.forName("org.apache.hadoop.fs.s3a.S3AFileSystem", false,
                    S3aDefaults.class.getClassLoader()).getClassLoader();
            Class.forName(factory, false, s3a);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Whether a file other than Hadoop's own defaults sets {@code key}. */
    private static boolean setBySite(Configuration site, String key) {
        String[] sources = site.getPropertySources(key);
        return sources != null && Arrays.stream(sources).anyMatch(s -> !s.endsWith("-default.xml"));
    }
}
