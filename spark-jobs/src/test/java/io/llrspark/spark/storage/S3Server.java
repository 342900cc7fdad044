package io.llrspark.spark.storage;

import org.apache.hadoop.conf.Configuration;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

import java.net.URI;
import java.util.Properties;

/**
 * A real S3-compatible server (S3Proxy over an in-memory blob store) on loopback, for tests that go through s3a://.
 * Signs requests like S3 does (V2 or V4 with the access key and secret here).
 */
public final class S3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "llr-test-access";
    public static final String SECRET_KEY = "llr-test-secret";

    private final BlobStoreContext context;
    private final S3Proxy proxy;
    private final FaultyBlobStore faults;

    public S3Server(String... buckets) throws Exception {
        this(FaultyBlobStore.Faults.NONE, buckets);
    }

    /** A server whose store fails, stalls or goes away as {@code faults} says (none while buckets are created). */
    S3Server(FaultyBlobStore.Faults faults, String... buckets) throws Exception {
        context = ContextBuilder.newBuilder("transient").overrides(new Properties()).build(BlobStoreContext.class);
        for (String bucket : buckets) {
            context.getBlobStore().createContainerInLocation(null, bucket);
        }
        this.faults = new FaultyBlobStore(faults);
        proxy = S3Proxy.builder().blobStore(this.faults.wrap(context.getBlobStore()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        proxy.start();
        while (!proxy.getState().equals("STARTED")) {
            Thread.sleep(10);
        }
    }

    /** Faults injected so far (errors and stalls). */
    int injectedFaults() {
        return faults.injected.get();
    }

    /** From now on every request fails, as when the store goes away. */
    void failEverything() {
        faults.failAll();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    /** s3a settings for this server: path-style access, no TLS, the test credentials, quick failure. */
    public Configuration hadoopConf() {
        Configuration conf = new Configuration();
        settings().forEach(conf::set);
        return conf;
    }

    /** {@link #hadoopConf}'s settings, for a process started to use this server. */
    public java.util.Map<String, String> settings() {
        java.util.Map<String, String> s = new java.util.LinkedHashMap<>();
        s.put("fs.s3a.endpoint", endpoint());
        s.put("fs.s3a.path.style.access", "true");
        s.put("fs.s3a.connection.ssl.enabled", "false");
        s.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        s.put("fs.s3a.access.key", ACCESS_KEY);
        s.put("fs.s3a.secret.key", SECRET_KEY);
        s.put("fs.s3a.attempts.maximum", "2");
        s.put("fs.s3a.retry.limit", "2");
        s.put("fs.s3a.change.detection.version.required", "false");
        // Hadoop caches a file system per bucket: a second server's tests must not reach the first one's port.
        s.put("fs.s3a.impl.disable.cache", "true");
        return s;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
