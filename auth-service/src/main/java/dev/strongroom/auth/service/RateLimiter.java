package dev.strongroom.auth.service;

import dev.strongroom.auth.config.AuthConfig;
import dev.strongroom.common.problem.Problems;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-client-address token buckets for the public endpoints (in memory, per replica): {@code n}
 * requests per window, refilling evenly. Over the limit: 429 with Retry-After.
 */
@ApplicationScoped
public class RateLimiter {

    public enum Endpoint { LOGIN, REGISTER, REFRESH, TOKEN, MFA }

    private static final int MAX_TRACKED = 100_000;

    private final AuthConfig.RateLimits limits;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    @Inject
    RateLimiter(AuthConfig config) {
        this.limits = config.rateLimit();
    }

    /** Takes one request from the address's (for MFA: the account's) bucket, or throws 429. */
    public void acquire(Endpoint endpoint, String address) {
        int capacity = switch (endpoint) {
            case LOGIN -> limits.loginRequests();
            case REGISTER -> limits.registerRequests();
            case REFRESH -> limits.refreshRequests();
            case TOKEN -> limits.tokenRequests();
            case MFA -> limits.mfaRequests();
        };
        double perNano = capacity / (double) limits.window().toNanos();
        if (buckets.size() > MAX_TRACKED) {
            long now = System.nanoTime();
            buckets.values().removeIf(b -> b.idleLongerThan(now, limits.window().toNanos()));
        }
        Bucket bucket = buckets.computeIfAbsent(endpoint + "|" + (address == null ? "-" : address), k -> new Bucket(capacity));
        long waitNanos = bucket.take(capacity, perNano, System.nanoTime());
        if (waitNanos > 0) {
            throw new Problems.RateLimited((long) Math.ceil(waitNanos / 1e9));
        }
    }

    private static final class Bucket {
        private double tokens;
        private long last;

        Bucket(int capacity) {
            this.tokens = capacity;
            this.last = System.nanoTime();
        }

        /** 0 when a token was taken, else nanoseconds until one is there. */
        synchronized long take(int capacity, double perNano, long now) {
            tokens = Math.min(capacity, tokens + (now - last) * perNano);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / perNano);
        }

        synchronized boolean idleLongerThan(long now, long nanos) {
            return now - last > nanos;
        }
    }
}
