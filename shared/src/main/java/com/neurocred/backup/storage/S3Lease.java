package com.neurocred.backup.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.neurocred.backup.json.Json;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A lease as one small S3 object, taken and kept with conditional writes only: created with
 * {@code If-None-Match: *}, renewed and released with {@code If-Match} on the holder's ETag, taken over
 * with {@code If-Match} on an expired one. S3 lets exactly one of two concurrent conditional writers
 * win, so no two runs ever hold it. Nothing is ever deleted (the backup role needs no delete right):
 * a release writes an expired lease. Expiry is judged by S3's own clocks (the object's Last-Modified
 * against the Date of the response), never by the reader's, which may be wrong.
 */
final class S3Lease implements Lease {
    private static final Logger LOG = LoggerFactory.getLogger(S3Lease.class);
    private static final int PRECONDITION_FAILED = 412;
    /** S3 answers 409 while another conditional write of the key is in flight. */
    private static final int CONFLICT = 409;
    private static final int ATTEMPTS = 4;

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final S3ObjectWrites writes;
    private final Duration ttl;
    private final String holder;
    private volatile String etag;
    private volatile long renewedNanos;
    private volatile boolean lost;
    private volatile boolean released;
    private ScheduledFuture<?> renewal;

    private S3Lease(S3Client s3, String bucket, String key, S3ObjectWrites writes, Duration ttl, String holder) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.writes = writes;
        this.ttl = ttl;
        this.holder = holder;
    }

    /** Renewals of every lease of the process; a daemon, so it never keeps a finished run alive. */
    private static final ScheduledExecutorService RENEWALS = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lease-renewal");
        t.setDaemon(true);
        return t;
    });

    /** Takes the lease and renews it every third of its time to live until closed. */
    static Lease take(S3Client s3, String bucket, String key, S3ObjectWrites writes, Duration ttl, String holder) {
        S3Lease lease = new S3Lease(s3, bucket, key, writes, ttl, holder);
        lease.acquire();
        lease.renewedNanos = System.nanoTime();
        long every = Math.max(1, ttl.toMillis() / 3);
        lease.renewal = RENEWALS.scheduleWithFixedDelay(lease::renew, every, every, TimeUnit.MILLISECONDS);
        return lease;
    }

    private void acquire() {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Optional<String> created = write(Optional.empty(), false);
            if (created.isPresent()) {
                etag = created.get();
                return;
            }
            Optional<Current> current = read();
            if (current.isEmpty()) {
                continue;
            }
            if (!current.get().expired()) {
                throw new LeaseHeldException("s3://" + bucket + "/" + key, current.get().holder, current.get().since);
            }
            Optional<String> taken = write(Optional.of(current.get().etag), false);
            if (taken.isPresent()) {
                etag = taken.get();
                return;
            }
        }
        Current current = read().orElse(new Current("another run", null, null, false));
        throw new LeaseHeldException("s3://" + bucket + "/" + key, current.holder, current.since);
    }

    /** A conditional write; empty when the condition failed (someone else's lease is there). */
    private Optional<String> write(Optional<String> ifMatch, boolean release) {
        try {
            byte[] body = Json.MAPPER.writeValueAsBytes(content(release));
            String newEtag = s3.putObject(r -> {
                writes.applyUnlocked(r.bucket(bucket).key(key).contentType("application/json"), body);
                ifMatch.ifPresentOrElse(r::ifMatch, () -> r.ifNoneMatch("*"));
            }, RequestBody.fromBytes(body)).eTag();
            return Optional.of(newEtag);
        } catch (S3Exception e) {
            if (e.statusCode() == PRECONDITION_FAILED || e.statusCode() == CONFLICT) {
                return Optional.empty();
            }
            throw S3Errors.describe("write the lease", "s3://" + bucket + "/" + key, e);
        } catch (SdkException e) {
            throw S3Errors.describe("write the lease", "s3://" + bucket + "/" + key, e);
        } catch (IOException e) {
            throw new IllegalStateException("a lease always serializes", e);
        }
    }

    private Map<String, Object> content(boolean release) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("holder", holder);
        content.put("writtenAt", Instant.now().toString());
        content.put("ttlSeconds", release ? 0 : ttl.toSeconds());
        content.put("released", release);
        return content;
    }

    private record Current(String holder, Instant since, String etag, boolean expired) {
    }

    private Optional<Current> read() {
        try {
            ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key));
            GetObjectResponse response = bytes.response();
            JsonNode content = Json.MAPPER.readTree(bytes.asByteArray());
            Instant written = response.lastModified();
            // S3's clock on both sides: the Date S3 answered with, not this machine's.
            Instant now = response.sdkHttpResponse().firstMatchingHeader("Date")
                    .map(d -> java.time.ZonedDateTime.parse(d, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant())
                    .orElseGet(Instant::now);
            long ttlSeconds = content.path("ttlSeconds").asLong(0);
            boolean expired = content.path("released").asBoolean(false) || written.plusSeconds(ttlSeconds).isBefore(now);
            return Optional.of(new Current(content.path("holder").asText("another run"), written, response.eTag(), expired));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (IOException e) {
            // Not a lease of ours (altered, or half a write we never make): treat as expired, to be taken over.
            return Optional.of(new Current("an unreadable lease", null, null, true));
        } catch (SdkException e) {
            throw S3Errors.describe("read the lease", "s3://" + bucket + "/" + key, e);
        }
    }

    private synchronized void renew() {
        if (lost || released) {
            return;
        }
        try {
            long attempted = System.nanoTime();
            Optional<String> renewed = write(Optional.of(etag), false);
            if (renewed.isPresent()) {
                etag = renewed.get();
                renewedNanos = attempted;
            } else {
                lost = true;
                LOG.error("lost the lease s3://{}/{}: another run took it over; this run must not write its result",
                        bucket, key);
            }
        } catch (StorageException e) {
            // Unreachable for now: the lease lasts ttl from the last renewal, and the next renewal tries again.
            LOG.warn("could not renew the lease s3://{}/{}: {}", bucket, key, e.getMessage());
        }
    }

    /** Also lost when renewals have failed for its whole time to live: another run may hold it by now. */
    @Override
    public boolean lost() {
        return lost || System.nanoTime() - renewedNanos > ttl.toNanos();
    }

    @Override
    public synchronized void close() {
        if (released) {
            return;
        }
        released = true;
        if (renewal != null) {
            renewal.cancel(false);
        }
        if (lost) {
            return;
        }
        try {
            write(Optional.of(etag), true);
        } catch (StorageException e) {
            LOG.warn("could not release the lease s3://{}/{} ({}); it expires by itself within {} s", bucket, key,
                    e.getMessage(), ttl.toSeconds());
        }
    }
}
