package dev.strongroom.auth.config;

import dev.strongroom.crypto.client.DataKeyCacheConfig;
import dev.strongroom.crypto.client.KeyServiceConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** auth-service settings, prefix {@code strongroom.auth}; docs/auth.md describes every key. */
@ConfigMapping(prefix = "strongroom.auth")
public interface AuthConfig {

    /** {@code iss} of issued tokens; shared with common-security's verifier. Default {@code strongroom}. */
    @WithDefault("strongroom")
    String issuer();

    /** {@code aud} of issued tokens; shared with common-security's verifier. Default {@code strongroom}. */
    @WithDefault("strongroom")
    String audience();

    /** Where services fetch the JWKS (common-security's key; auth-service verifies its own tokens in memory). */
    @WithDefault("http://127.0.0.1:8081/v1/auth/jwks")
    String jwksUrl();

    /** Base URL clients reach auth-service at, for the discovery document. Default: the base of {@code jwks-url} (never a request header). */
    Optional<String> publicUrl();

    /** Lifetime of access tokens. Default PT15M. */
    @WithDefault("PT15M")
    Duration accessTokenTtl();

    /** Lifetime of each refresh token (a new one comes with every refresh). Default P7D. */
    @WithDefault("P7D")
    Duration refreshTokenTtl();

    /**
     * Absolute lifetime of a login session: refresh-token rotation cannot carry a session past its start plus
     * this; the user then logs in again (password, MFA). Default P30D.
     */
    @WithDefault("P30D")
    Duration sessionAbsoluteLifetime();

    Signing signing();

    Password password();

    Lockout lockout();

    /** Per-client-address limits of the public endpoints. */
    RateLimits rateLimit();

    Totp totp();

    BootstrapAdmin bootstrapAdmin();

    /** Service accounts provisioned from configuration, by name (= client id). */
    Map<String, ServiceClient> serviceClients();

    Kubernetes kubernetes();

    /**
     * key-service, which holds the key-encryption key of the TOTP secrets. Without {@code token}, auth-service
     * signs itself a short-lived service token (subject {@code auth-service}, role {@code kms}); the
     * client-credentials keys of the group are not used here.
     */
    KeyServiceConfig kms();

    /** Unwrapped data keys of TOTP secrets kept in memory, so repeated logins need no key-service call. */
    DataKeyCacheConfig dataKeyCache();

    interface Signing {
        /**
         * Files holding the signing keys: JWK sets (JSON, private RSA keys with {@code kid}) or PKCS#8 PEM
         * private keys (kid = RFC 7638 thumbprint). Every key is published in the JWKS; the active one signs.
         * No default: required (see {@link #generateMissing()}).
         */
        Optional<List<String>> keyFiles();

        /** The kid that signs new tokens. Default: the first key of the first file. */
        Optional<String> activeKid();

        /** Generate a 2048-bit RSA JWK set into the first key file when it does not exist (local stack, tests). Default false. */
        @WithDefault("false")
        boolean generateMissing();
    }

    interface Password {
        Argon2 argon2();

        /** Shortest password, in Unicode code points after NFKC normalisation. Default 12. */
        @WithDefault("12")
        int minLength();

        /** Longest password, in code points. Default 128. */
        @WithDefault("128")
        int maxLength();

        /** An extra list of refused passwords (one per line, UTF-8), added to the shipped one. Default none. */
        Optional<String> extraDenyList();
    }

    /** Argon2id cost; stored with each hash, and hashes with other parameters are upgraded at the next login. */
    interface Argon2 {
        /** Memory in KiB. Default 19456 (19 MiB, OWASP). */
        @WithDefault(dev.strongroom.crypto.passwords.Argon2Parameters.DEFAULT_MEMORY_KIB)
        int memoryKib();

        /** Passes over memory. Default 2. */
        @WithDefault(dev.strongroom.crypto.passwords.Argon2Parameters.DEFAULT_ITERATIONS)
        int iterations();

        /** Lanes. Default 1. */
        @WithDefault(dev.strongroom.crypto.passwords.Argon2Parameters.DEFAULT_PARALLELISM)
        int parallelism();
    }

    interface Lockout {
        /** Consecutive failed logins after which an account locks. Default 5. */
        @WithDefault("5")
        int threshold();

        /** Lock of the first lockout; it doubles with every further failure. Default PT30S. */
        @WithDefault("PT30S")
        Duration initialDelay();

        /** Longest lock. Default PT15M. */
        @WithDefault("PT15M")
        Duration maxDelay();
    }

    interface RateLimits {
        /** POST /v1/auth/login. Default 20 per PT1M. */
        @WithDefault("20")
        int loginRequests();

        /** POST /v1/auth/register. Default 5 per PT1M. */
        @WithDefault("5")
        int registerRequests();

        /** POST /v1/auth/refresh. Default 60 per PT1M. */
        @WithDefault("60")
        int refreshRequests();

        /** TOTP enrolment, confirmation and removal, per account (not per address). Default 10 per PT1M. */
        @WithDefault("10")
        int mfaRequests();

        /** POST /v1/auth/token and /v1/auth/kubernetes/login. Default 120 per PT1M. */
        @WithDefault("120")
        int tokenRequests();

        /** The window the counts above apply to (tokens refill evenly over it). Default PT1M. */
        @WithDefault("PT1M")
        Duration window();
    }

    interface Totp {
        /** Issuer label shown by authenticator apps. Default Strongroom. */
        @WithDefault("Strongroom")
        String issuerLabel();

        /** Time steps of clock drift accepted either side. Default 1. */
        @WithDefault("1")
        int driftSteps();

        /**
         * key-service key (KEK) that wraps the data keys of TOTP secrets; key-service must have it
         * (e.g. {@code strongroom.keys.create-on-start=secrets,totp}). Default totp.
         */
        @WithDefault("totp")
        String kekName();

        /**
         * How often the start-up encryption of plaintext TOTP secrets (stored by earlier versions) runs
         * until one run finds none; a run that fails (key-service down) is retried at the next one. Default 30s.
         */
        @WithDefault("30s")
        String upgradeEvery();

        /** Accounts encrypted per transaction by that job. Default 50. */
        @WithDefault("50")
        int upgradeBatchSize();
    }

    interface BootstrapAdmin {
        /** Name of the first admin, created at start-up when missing. Default none. */
        Optional<String> username();

        /** Its password (must pass the password policy). Default none. */
        Optional<String> password();
    }

    interface ServiceClient {
        /** The client secret (at least 32 characters); only its SHA-256 is stored. */
        String secret();

        /** Roles of the service's tokens. Default user. */
        @WithDefault("user")
        List<String> roles();
    }

    interface Kubernetes {
        /** Issuer of the cluster's service-account tokens, e.g. https://kubernetes.default.svc. Default none: login disabled. */
        Optional<String> issuer();

        /** The cluster issuer's JWKS URL (e.g. https://kubernetes.default.svc/openid/v1/jwks). Default none. */
        @WithName("jwks-url")
        Optional<String> jwksUrl();

        /** Clock skew allowed on the projected token's exp/nbf, seconds. Default 30. */
        @WithDefault("30")
        int clockSkewSeconds();
    }
}
