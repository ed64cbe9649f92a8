package dev.strongroom.crypto.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ServiceTokensTest {

    @Test
    void aFixedTokenIsAlwaysCurrentAndReady() {
        ServiceTokens tokens = ServiceTokens.fixed("fixed-token");
        assertThat(tokens.current()).isEqualTo("fixed-token");
        assertThat(tokens.fresh()).isTrue();
        assertThat(tokens.ready().toCompletableFuture()).isCompletedWithValue(null);
        assertThat(tokens.toString()).doesNotContain("fixed-token");
    }

    @Test
    void anIssuedTokenIsCachedUntilTheRefreshMarginAndThenReplaced() {
        AtomicInteger issued = new AtomicInteger();
        // The first token expires within the margin (so is replaced at the next call), the next ones in an hour.
        ServiceTokens tokens = ServiceTokens.issuedBy(() -> {
            int n = issued.incrementAndGet();
            Instant expiry = n == 1 ? Instant.now().plusSeconds(30) : Instant.now().plus(Duration.ofHours(1));
            return new ServiceTokens.IssuedToken("token-" + n, expiry);
        }, Duration.ofSeconds(60));

        assertThat(tokens.current()).isEqualTo("token-1");
        assertThat(tokens.fresh()).isFalse();
        assertThat(tokens.current()).isEqualTo("token-2");
        assertThat(tokens.current()).isEqualTo("token-2");
        assertThat(tokens.fresh()).isTrue();
        assertThat(issued).hasValue(2);
        assertThat(tokens.toString()).doesNotContain("token-2");
    }

    @Test
    void aFailingIssuerFailsReadyAndIsAskedAgainLater() {
        AtomicInteger calls = new AtomicInteger();
        ServiceTokens tokens = ServiceTokens.issuedBy(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new ServiceCredentialsException("refused");
            }
            return new ServiceTokens.IssuedToken("second", Instant.now().plus(Duration.ofHours(1)));
        }, Duration.ofSeconds(60));

        assertThat(tokens.ready().toCompletableFuture()).isCompletedExceptionally();
        assertThat(tokens.ready().toCompletableFuture()).isCompletedWithValue(null);
        assertThat(tokens.current()).isEqualTo("second");
    }

    @Test
    void withoutCredentialsThereIsNoTokenAndNothingToWaitFor() {
        ServiceCredentialsConfig none = new ServiceCredentialsConfig() {
            public java.util.Optional<String> token() { return java.util.Optional.empty(); }
            public java.util.Optional<String> clientId() { return java.util.Optional.of("svc"); }
            public java.util.Optional<String> clientSecret() { return java.util.Optional.empty(); }
            public java.net.URI tokenUrl() { return java.net.URI.create("http://127.0.0.1:1/v1/auth/token"); }
            public Duration tokenRefreshMargin() { return Duration.ofSeconds(60); }
        };
        ServiceTokens tokens = ServiceTokens.from(none, Duration.ofSeconds(1), "strongroom.test.kms", null);
        assertThat(tokens.current()).isNull();
        assertThat(tokens.fresh()).isTrue();
        assertThat(tokens.ready().toCompletableFuture()).isCompletedWithValue(null);
    }
}
