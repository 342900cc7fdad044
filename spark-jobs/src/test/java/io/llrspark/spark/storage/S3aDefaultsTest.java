package io.llrspark.spark.storage;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class S3aDefaultsTest {
    @Test
    void boundsRetriesUnlessTheUserSaysOtherwise() {
        SparkConf conf = S3aDefaults.applyTo(new SparkConf(false).set("spark.hadoop.fs.s3a.attempts.maximum", "9"));
        assertEquals("9", conf.get("spark.hadoop.fs.s3a.attempts.maximum"), "a user's value wins");
        assertEquals("3", conf.get("spark.hadoop.fs.s3a.retry.limit"));
        assertEquals("5000", conf.get("spark.hadoop.fs.s3a.connection.establish.timeout"));
        assertEquals(RetryLoggingS3ClientFactory.class.getName(), conf.get("spark.hadoop.fs.s3a.s3.client.factory.impl"),
                "the factory is named by a string that must stay its class's name");
    }
}
