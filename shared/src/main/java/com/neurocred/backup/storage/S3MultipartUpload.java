package com.neurocred.backup.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * A multipart upload of unknown length with bounded memory: at most {@code concurrency} parts are in
 * flight and one more fills, each a reused buffer. A writer that gets ahead of the network blocks, so
 * memory never depends on the size of the database.
 *
 * <p>Written by hand rather than with the SDK's multipart async client because the backup must be able
 * to abort on its own schedule (a Lambda time budget, a failed pg_dump) and know that no upload is left
 * open, and because the synchronous client keeps the function free of an async HTTP stack.
 */
final class S3MultipartUpload implements ObjectUpload {
    private static final Logger LOG = LoggerFactory.getLogger(S3MultipartUpload.class);

    private final S3Client s3;
    private final String bucket;
    private final String name;
    private final String key;
    private final String location;
    private final String uploadId;
    private final int partSize;
    private final ExecutorService executor;
    private final Semaphore buffersAvailable;
    private final ConcurrentLinkedQueue<byte[]> freeBuffers = new ConcurrentLinkedQueue<>();
    private final List<Future<CompletedPart>> parts = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final PartStream stream = new PartStream();
    private boolean finished;
    private volatile String abortFailure;

    S3MultipartUpload(S3Client s3, String bucket, String name, String key, String location, S3ObjectWrites writes,
                      int partSize, int concurrency, ExecutorService executor) {
        this.s3 = s3;
        this.bucket = bucket;
        this.name = name;
        this.key = key;
        this.location = location;
        this.partSize = partSize;
        this.executor = executor;
        this.buffersAvailable = new Semaphore(concurrency + 1);
        try {
            this.uploadId = s3.createMultipartUpload(r -> writes.apply(r.bucket(bucket).key(key)
                    .contentType("application/octet-stream"), name)).uploadId();
        } catch (SdkException e) {
            throw S3Errors.describe("start an upload to", location, e);
        }
    }

    @Override
    public OutputStream stream() {
        return stream;
    }

    @Override
    public StoredObject complete() {
        if (finished) {
            throw new IllegalStateException("upload already ended");
        }
        try {
            stream.dispatchCurrent(true);
            List<CompletedPart> done = new ArrayList<>();
            for (Future<CompletedPart> part : parts) {
                done.add(part.get());
            }
            done.sort(Comparator.comparing(CompletedPart::partNumber));
            // Only ever creates: a second writer of the name (same second, duplicate event) loses here.
            String checksum = s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId).ifNoneMatch("*")
                    .multipartUpload(m -> m.parts(done))).checksumSHA256();
            finished = true;
            return new StoredObject(name, location, stream.total, null, checksum != null ? checksum : storedChecksum());
        } catch (ExecutionException e) {
            abort();
            Throwable cause = e.getCause();
            throw cause instanceof SdkException sdk ? S3Errors.describe("upload a part of", location, sdk)
                    : new StorageException("upload of " + location + " failed: " + cause, cause);
        } catch (SdkException e) {
            abort();
            if (S3Errors.isExisting(e)) {
                throw new ObjectExistsException(location, e);
            }
            throw S3Errors.describe("complete the upload of", location, e);
        } catch (IOException e) {
            abort();
            throw new StorageException("upload of " + location + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort();
            throw new StorageException("upload of " + location + " was interrupted", e);
        }
    }

    /**
     * The checksum S3 keeps for the object, for a complete response that did not carry it (S3-compatible stores);
     * null when it cannot be read: the manifest's own SHA-256 of the content is what verification relies on.
     */
    private String storedChecksum() {
        try {
            return s3.headObject(r -> r.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED)).checksumSHA256();
        } catch (SdkException e) {
            LOG.warn("could not read the checksum S3 keeps for {}: {}", location, e.getMessage());
            return null;
        }
    }

    @Override
    public void abort() {
        if (finished) {
            return;
        }
        finished = true;
        parts.forEach(p -> p.cancel(false));
        // S3 may keep parts that were still arriving when the abort came in, so let running ones end first.
        for (Future<CompletedPart> part : parts) {
            try {
                part.get(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException | TimeoutException | java.util.concurrent.CancellationException e) {
                // Failed or cancelled parts are what abort is for.
            }
        }
        try {
            s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            abortFailure = S3Errors.describe("abort the upload of", location, e).getMessage();
            LOG.error("could not abort multipart upload {} of {}: {} (the bucket's lifecycle rule for incomplete "
                    + "uploads will remove it)", uploadId, location, e.getMessage());
        }
    }

    @Override
    public java.util.Optional<String> abortFailure() {
        return java.util.Optional.ofNullable(abortFailure);
    }

    @Override
    public void close() {
        abort();
    }

    private CompletedPart upload(int partNumber, byte[] buffer, int length) {
        try {
            // Hashed here, on the part's own thread: S3 refuses the part if what arrives hashes otherwise.
            String sha256 = com.neurocred.backup.digest.Sha256.base64(buffer, length);
            UploadPartResponse response = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                            .partNumber(partNumber).contentLength((long) length)
                            .checksumAlgorithm(ChecksumAlgorithm.SHA256).checksumSHA256(sha256),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length), length,
                            "application/octet-stream"));
            return CompletedPart.builder().partNumber(partNumber).eTag(response.eTag()).checksumSHA256(sha256).build();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
            throw e;
        } finally {
            freeBuffers.add(buffer);
            buffersAvailable.release();
        }
    }

    /** Fills one part buffer at a time and hands full ones to the executor. */
    private final class PartStream extends OutputStream {
        private byte[] current;
        private int filled;
        private int nextPart = 1;
        private long total;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (current == null) {
                    current = takeBuffer();
                }
                int n = Math.min(len, partSize - filled);
                System.arraycopy(b, off, current, filled, n);
                filled += n;
                total += n;
                off += n;
                len -= n;
                if (filled == partSize) {
                    dispatchCurrent(false);
                }
            }
        }

        void dispatchCurrent(boolean last) throws IOException {
            throwIfFailed();
            if (current == null && !(last && nextPart == 1)) {
                return;
            }
            byte[] buffer = current == null ? takeBuffer() : current;
            int length = filled;
            int partNumber = nextPart++;
            parts.add(executor.submit(() -> upload(partNumber, buffer, length)));
            current = null;
            filled = 0;
        }

        private byte[] takeBuffer() throws IOException {
            try {
                while (!buffersAvailable.tryAcquire(1, TimeUnit.SECONDS)) {
                    throwIfFailed();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for an upload buffer");
            }
            byte[] buffer = freeBuffers.poll();
            return buffer != null ? buffer : new byte[partSize];
        }

        private void throwIfFailed() throws IOException {
            Throwable t = failure.get();
            if (t != null) {
                String message = t instanceof SdkException sdk ? S3Errors.describe("upload a part of", location, sdk)
                        .getMessage() : "upload of " + location + " failed: " + t;
                throw new StoreWriteException(message, t);
            }
        }
    }
}
