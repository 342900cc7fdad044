package io.llrspark.spark.storage;

import org.jclouds.blobstore.BlobStore;
import org.jclouds.http.HttpResponse;
import org.jclouds.http.HttpResponseException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults injected behind S3Proxy: a fraction of the store's data operations fail with 500 or 503 (which S3Proxy
 * answers as such over HTTP), and a fraction stall past the client's socket timeout, as a dropped request does.
 * Faults are drawn from a seed, so a failing run can be repeated; {@link #failAll} makes the store fail every
 * request from then on, as a store that went away.
 */
final class FaultyBlobStore {
    /** What S3 requests reach the blob store as: reads, writes, listings, deletes, multipart uploads. */
    private static final Set<String> DATA_OPERATIONS = Set.of("getBlob", "putBlob", "blobMetadata", "blobExists",
            "list", "removeBlob", "removeBlobs", "initiateMultipartUpload", "uploadMultipartPart",
            "completeMultipartUpload", "abortMultipartUpload");

    /**
     * @param errors   the fraction of operations answered 500 or 503
     * @param stalls   the fraction of operations that stall for {@code stallMs} before being served
     */
    record Faults(double errors, double stalls, long stallMs, long seed) {
        static final Faults NONE = new Faults(0, 0, 0, 0);
    }

    private final Faults faults;
    private final Random random;
    private volatile boolean failAll;
    final AtomicInteger injected = new AtomicInteger();

    FaultyBlobStore(Faults faults) {
        this.faults = faults;
        this.random = new Random(faults.seed());
    }

    void failAll() {
        failAll = true;
    }

    BlobStore wrap(BlobStore store) {
        return (BlobStore) Proxy.newProxyInstance(BlobStore.class.getClassLoader(), new Class<?>[]{BlobStore.class},
                (proxy, method, args) -> {
                    if (DATA_OPERATIONS.contains(method.getName())) {
                        inject();
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private void inject() throws InterruptedException {
        double draw;
        synchronized (random) {
            draw = random.nextDouble();
        }
        if (failAll) {
            throw error(503);
        }
        if (draw < faults.errors()) {
            injected.incrementAndGet();
            throw error(draw < faults.errors() / 2 ? 500 : 503);
        }
        if (draw < faults.errors() + faults.stalls()) {
            injected.incrementAndGet();
            Thread.sleep(faults.stallMs());
        }
    }

    private static HttpResponseException error(int status) {
        return new HttpResponseException("injected fault", null,
                HttpResponse.builder().statusCode(status).message(status == 503 ? "Slow Down" : "Internal Error")
                        .build());
    }
}
