package io.llrspark.spark.data;

import org.apache.hadoop.conf.Configuration;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * The driver's file-system settings ({@code fs.*}, e.g. s3a endpoint and credentials provider), shipped to executors
 * so their reads see the same stores; Hadoop's Configuration itself is not serializable.
 */
public final class HadoopSettings implements Serializable {
    private final Map<String, String> entries = new HashMap<>();

    public static HadoopSettings of(Configuration conf) {
        HadoopSettings s = new HadoopSettings();
        for (Map.Entry<String, String> e : conf) {
            if (e.getKey().startsWith("fs.")) {
                s.entries.put(e.getKey(), e.getValue());
            }
        }
        return s;
    }

    public Configuration toConfiguration() {
        Configuration conf = new Configuration();
        entries.forEach(conf::set);
        return conf;
    }
}
