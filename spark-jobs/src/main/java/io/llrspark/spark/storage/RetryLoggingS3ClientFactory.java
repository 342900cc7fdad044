package io.llrspark.spark.storage;

import com.amazonaws.AmazonClientException;
import com.amazonaws.AmazonServiceException;
import com.amazonaws.AmazonWebServiceRequest;
import com.amazonaws.ClientConfiguration;
import com.amazonaws.retry.RetryPolicy;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.model.AbortMultipartUploadRequest;
import com.amazonaws.services.s3.model.CompleteMultipartUploadRequest;
import com.amazonaws.services.s3.model.DeleteObjectRequest;
import com.amazonaws.services.s3.model.GetObjectMetadataRequest;
import com.amazonaws.services.s3.model.GetObjectRequest;
import com.amazonaws.services.s3.model.InitiateMultipartUploadRequest;
import com.amazonaws.services.s3.model.ListObjectsRequest;
import com.amazonaws.services.s3.model.ListObjectsV2Request;
import com.amazonaws.services.s3.model.PutObjectRequest;
import com.amazonaws.services.s3.model.UploadPartRequest;
import org.apache.hadoop.fs.s3a.DefaultS3ClientFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Consumer;

/**
 * s3a's own client with one addition: every retry of a request is logged ("retrying s3a GET s3a://bucket/key (2/5):
 * cause"). s3a retries silently at two levels, the AWS SDK's ({@code fs.s3a.attempts.maximum}) and its own
 * ({@code fs.s3a.retry.limit}); the SDK's retry condition is the one place that sees each failed request with its
 * bucket and key, so it is wrapped here and the retry decision itself is left to the SDK's policy.
 * Named by {@code fs.s3a.s3.client.factory.impl} ({@link S3aDefaults}).
 */
public class RetryLoggingS3ClientFactory extends DefaultS3ClientFactory {
    private static final Logger LOG = LoggerFactory.getLogger(RetryLoggingS3ClientFactory.class);
    /** Where retry lines go: the log, or a test that counts them whatever logging binding it runs with. */
    static volatile Consumer<String> retries = LOG::warn;

    @Override
    protected AmazonS3 buildAmazonS3Client(ClientConfiguration awsConf, S3ClientCreationParameters parameters) {
        RetryPolicy policy = awsConf.getRetryPolicy();
        int limit = awsConf.getMaxErrorRetry() >= 0 ? awsConf.getMaxErrorRetry() : policy.getMaxErrorRetry();
        RetryPolicy.RetryCondition decides = policy.getRetryCondition();
        RetryPolicy.RetryCondition logged = (request, exception, retriesAttempted) -> {
            boolean retry = decides.shouldRetry(request, exception, retriesAttempted);
            // The SDK asks the condition before it counts: past the limit a "yes" is no retry.
            if (retry && retriesAttempted < limit) {
                retries.accept("retrying s3a " + describe(request) + " (" + (retriesAttempted + 1) + "/" + limit
                        + "): " + cause(exception));
            }
            return retry;
        };
        awsConf.setRetryPolicy(new RetryPolicy(logged, policy.getBackoffStrategy(), policy.getMaxErrorRetry(),
                policy.isMaxErrorRetryInClientConfigHonored()));
        return super.buildAmazonS3Client(awsConf, parameters);
    }

    /** The request as an operation and an object: what a user can look up in the store. */
    static String describe(AmazonWebServiceRequest request) {
        if (request instanceof GetObjectRequest r) {
            return "GET " + uri(r.getBucketName(), r.getKey());
        } else if (request instanceof GetObjectMetadataRequest r) {
            return "HEAD " + uri(r.getBucketName(), r.getKey());
        } else if (request instanceof PutObjectRequest r) {
            return "PUT " + uri(r.getBucketName(), r.getKey());
        } else if (request instanceof UploadPartRequest r) {
            return "PUT part " + r.getPartNumber() + " of " + uri(r.getBucketName(), r.getKey());
        } else if (request instanceof InitiateMultipartUploadRequest r) {
            return "POST upload " + uri(r.getBucketName(), r.getKey());
        } else if (request instanceof CompleteMultipartUploadRequest r) {
            return "POST complete " + uri(r.getBucketName(), r.getKey());
        } else if (request instanceof AbortMultipartUploadRequest r) {
            return "DELETE upload " + uri(r.getBucketName(), r.getKey());
        } else if (request instanceof DeleteObjectRequest r) {
            return "DELETE " + uri(r.getBucketName(), r.getKey());
        } else if (request instanceof ListObjectsV2Request r) {
            return "LIST " + uri(r.getBucketName(), r.getPrefix());
        } else if (request instanceof ListObjectsRequest r) {
            return "LIST " + uri(r.getBucketName(), r.getPrefix());
        }
        return request == null ? "request" : request.getClass().getSimpleName().replace("Request", "");
    }

    private static String uri(String bucket, String key) {
        return "s3a://" + bucket + "/" + (key == null ? "" : key);
    }

    /** The failure in one line: the status for an answer from the store, else the client's message. */
    private static String cause(AmazonClientException e) {
        if (e instanceof AmazonServiceException s) {
            String code = String.valueOf(s.getStatusCode());
            return "status " + code + (s.getErrorCode() == null ? "" : " " + s.getErrorCode().replace(code + " ", ""));
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.strip();
    }
}
