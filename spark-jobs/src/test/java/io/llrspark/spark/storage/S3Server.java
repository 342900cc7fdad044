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

    public S3Server(String... buckets) throws Exception {
        context = ContextBuilder.newBuilder("transient").overrides(new Properties()).build(BlobStoreContext.class);
        for (String bucket : buckets) {
            context.getBlobStore().createContainerInLocation(null, bucket);
        }
        proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        proxy.start();
        while (!proxy.getState().equals("STARTED")) {
            Thread.sleep(10);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    /** s3a settings for this server: path-style access, no TLS, the test credentials, quick failure. */
    public Configuration hadoopConf() {
        Configuration conf = new Configuration();
        conf.set("fs.s3a.endpoint", endpoint());
        conf.set("fs.s3a.path.style.access", "true");
        conf.set("fs.s3a.connection.ssl.enabled", "false");
        conf.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        conf.set("fs.s3a.access.key", ACCESS_KEY);
        conf.set("fs.s3a.secret.key", SECRET_KEY);
        conf.set("fs.s3a.attempts.maximum", "2");
        conf.set("fs.s3a.retry.limit", "2");
        conf.set("fs.s3a.change.detection.version.required", "false");
        return conf;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
