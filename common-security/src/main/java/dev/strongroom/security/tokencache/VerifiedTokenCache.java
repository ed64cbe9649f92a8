package dev.strongroom.security.tokencache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.strongroom.security.issuers.IssuerTenantResolver;
import dev.strongroom.security.issuers.UnverifiedJwt;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.All;
import io.quarkus.arc.InstanceHandle;
import io.quarkus.oidc.runtime.OidcConfig;
import io.quarkus.oidc.runtime.OidcTenantConfig;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Remembers verified bearer tokens, so a client sending the same access token for its 15 minutes pays for the
 * signature check and claim parsing once. It is the first identity provider for bearer tokens: a miss asks the
 * providers behind it (quarkus-oidc's, and auth-service's own) in their order and remembers what they verified;
 * a failure is never remembered.
 *
 * <ul>
 *   <li>Keyed by the verifying tenant and the SHA-256 of the token, never the token: a different byte is a
 *       different key (a miss, verified in full), and a token is never answered by another tenant's entry.</li>
 *   <li>An entry lives until the token's {@code exp} at the latest (not {@code exp} plus the clock-skew grace
 *       quarkus-oidc allows), and at most {@code max-lifetime}; at most {@code max-size} entries.</li>
 *   <li>It caches the verified identity, not the decision: the augmentors (session revocation, the caller
 *       mapping) run on every request, hit or miss.</li>
 * </ul>
 * Tokens without {@code exp}, and requests whose tenant the issuer resolver leaves to quarkus-oidc, are not cached.
 * A token whose (unverified) {@code exp} is further in the past than any tenant's clock-skew grace plus a minute is
 * refused without asking the verifiers ({@code strongroom_security_token_refused_expired_total}).
 */
@ApplicationScoped
public class VerifiedTokenCache implements IdentityProvider<TokenAuthenticationRequest> {

    /** Before auth-service's own provider (SYSTEM_FIRST + 100) and quarkus-oidc's. */
    static final int PRIORITY = SYSTEM_FIRST + 500;
    private static final String ROUTING_CONTEXT = RoutingContext.class.getName();
    private static final String REQUEST_CONTEXT = AuthenticationRequestContext.class.getName();
    private static final MessageDigest SHA_256 = sha256();

    private final TokenCacheConfig config;
    private final IssuerTenantResolver tenants;
    private final List<IdentityProvider<TokenAuthenticationRequest>> verifiers;
    private final Cache<String, Entry> cache;
    private final Counter hits;
    private final Counter misses;
    private final Counter refusedExpired;
    private final long refuseExpiredAfterMillis;

    /** A verified identity and when its token expires (epoch ms). */
    record Entry(SecurityIdentity identity, long expiresAtMillis) {
        @Override
        public String toString() {
            return "Entry[expiresAtMillis=" + expiresAtMillis + "]";
        }
    }

    @Inject
    VerifiedTokenCache(TokenCacheConfig config, IssuerTenantResolver tenants,
            @All List<InstanceHandle<IdentityProvider<?>>> providers, MeterRegistry registry, Config rawConfig) {
        this(config, tenants, tokenVerifiers(providers), registry, Ticker.systemTicker(),
                refuseExpiredAfter(rawConfig.unwrap(SmallRyeConfig.class).getConfigMapping(OidcConfig.class)));
    }

    VerifiedTokenCache(TokenCacheConfig config, IssuerTenantResolver tenants,
            List<IdentityProvider<TokenAuthenticationRequest>> verifiers, MeterRegistry registry, Ticker ticker,
            Duration refuseExpiredAfter) {
        this.config = config;
        this.tenants = tenants;
        this.verifiers = verifiers;
        this.refuseExpiredAfterMillis = refuseExpiredAfter.toMillis();
        long maxLifetimeNanos = config.maxLifetime().toNanos();
        this.cache = Caffeine.newBuilder()
                .maximumSize(config.maxSize())
                .ticker(ticker)
                .expireAfter(new Expiry<String, Entry>() {
                    @Override
                    public long expireAfterCreate(String key, Entry entry, long now) {
                        long untilExp = TimeUnit.MILLISECONDS.toNanos(entry.expiresAtMillis() - System.currentTimeMillis());
                        return Math.max(0, Math.min(untilExp, maxLifetimeNanos));
                    }

                    @Override
                    public long expireAfterUpdate(String key, Entry entry, long now, long current) {
                        return expireAfterCreate(key, entry, now);
                    }

                    @Override
                    public long expireAfterRead(String key, Entry entry, long now, long current) {
                        return current;
                    }
                })
                .build();
        this.hits = Counter.builder("strongroom.security.token.cache").tag("result", "hit")
                .description("Bearer tokens answered from the verified-token cache").register(registry);
        this.misses = Counter.builder("strongroom.security.token.cache").tag("result", "miss")
                .description("Bearer tokens verified in full (not in the verified-token cache)").register(registry);
        this.refusedExpired = Counter.builder("strongroom.security.token.refused.expired")
                .description("Bearer tokens refused unverified: expired longer ago than any tenant's lifespan grace allows")
                .register(registry);
        Gauge.builder("strongroom.security.token.cache.size", cache, Cache::estimatedSize)
                .description("Verified tokens currently remembered").register(registry);
    }

    /** The other bearer-token providers, highest priority first: what the identity provider manager would ask. */
    @SuppressWarnings("unchecked")
    static List<IdentityProvider<TokenAuthenticationRequest>> tokenVerifiers(List<InstanceHandle<IdentityProvider<?>>> providers) {
        List<IdentityProvider<TokenAuthenticationRequest>> verifiers = new ArrayList<>();
        for (InstanceHandle<IdentityProvider<?>> handle : providers) {
            if (handle.getBean().getBeanClass() == VerifiedTokenCache.class) {
                continue;
            }
            IdentityProvider<?> provider = handle.get();
            if (provider.getRequestType() == TokenAuthenticationRequest.class) {
                verifiers.add((IdentityProvider<TokenAuthenticationRequest>) provider);
            }
        }
        verifiers.sort(Comparator.comparingInt((IdentityProvider<TokenAuthenticationRequest> p) -> p.priority()).reversed());
        return List.copyOf(verifiers);
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        if (!config.enabled()) {
            return Uni.createFrom().nullItem(); // the manager asks the next provider
        }
        RoutingContext routing = HttpSecurityUtils.getRoutingContextAttribute(request);
        String tenant = routing == null ? null : tenants.tenantOf(routing);
        if (tenant == null) {
            return longExpired(request) ? refuse() : verify(0, request, context);
        }
        String key = key(tenant, request.getToken().getToken());
        Entry entry = cache.getIfPresent(key);
        if (entry != null && entry.expiresAtMillis() > System.currentTimeMillis()) {
            hits.increment();
            return Uni.createFrom().item(forThisRequest(entry.identity(), routing, context));
        }
        misses.increment();
        if (longExpired(request)) {
            return refuse();
        }
        return verify(0, request, context)
                .invoke(identity -> remember(key, identity));
    }

    /**
     * The margin after a token's {@code exp} beyond which no verifier could accept it: the largest
     * {@code token.lifespan-grace} of any tenant, plus a minute.
     */
    static Duration refuseExpiredAfter(OidcConfig oidc) {
        int grace = OidcConfig.getDefaultTenant(oidc).token().lifespanGrace().orElse(0);
        for (OidcTenantConfig tenant : oidc.namedTenants().values()) {
            grace = Math.max(grace, tenant.token().lifespanGrace().orElse(0));
        }
        return Duration.ofSeconds(grace).plusMinutes(1);
    }

    /**
     * Whether the token's unverified {@code exp} is further in the past than {@link #refuseExpiredAfter}. Refusing
     * it unverified is safe (it is never accepted that way) and spares the signature check, so a client retrying a
     * stale token costs less than a served request.
     */
    private boolean longExpired(TokenAuthenticationRequest request) {
        UnverifiedJwt claims = UnverifiedJwt.read(request.getToken().getToken());
        return claims != null && claims.expiresAt() > 0
                && claims.expiresAt() * 1000 + refuseExpiredAfterMillis < System.currentTimeMillis();
    }

    private Uni<SecurityIdentity> refuse() {
        refusedExpired.increment();
        return Uni.createFrom().failure(new AuthenticationFailedException());
    }

    /** Asks verifier {@code index} and, if it does not answer for this token, the next one. */
    private Uni<SecurityIdentity> verify(int index, TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        if (index == verifiers.size()) {
            return Uni.createFrom().failure(new AuthenticationFailedException());
        }
        return verifiers.get(index).authenticate(request, context)
                .chain(identity -> identity != null
                        ? Uni.createFrom().item(identity)
                        : verify(index + 1, request, context));
    }

    private void remember(String key, SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return;
        }
        long exp = jwt.getExpirationTime();
        if (exp > 0 && exp * 1000 > System.currentTimeMillis()) {
            cache.put(key, new Entry(identity, exp * 1000));
        }
    }

    /** The cached identity with this request's routing context (quarkus-oidc's identities carry the request's). */
    private static SecurityIdentity forThisRequest(SecurityIdentity cached, RoutingContext routing, AuthenticationRequestContext context) {
        if (cached.getAttribute(ROUTING_CONTEXT) == null && cached.getAttribute(REQUEST_CONTEXT) == null) {
            return cached;
        }
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder(cached);
        if (cached.getAttribute(ROUTING_CONTEXT) != null) {
            builder.addAttribute(ROUTING_CONTEXT, routing);
        }
        if (cached.getAttribute(REQUEST_CONTEXT) != null) {
            builder.addAttribute(REQUEST_CONTEXT, context);
        }
        return builder.build();
    }

    /** The cache key: the tenant and the SHA-256 of the token (the token itself is never kept as a key). */
    static String key(String tenant, String token) {
        try {
            MessageDigest sha256 = (MessageDigest) SHA_256.clone(); // cheaper than a provider lookup per request
            sha256.update(tenant.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            return tenant + ':' + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256.digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Entries currently held (for tests and the size gauge). */
    long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    /** Drops every entry (tests). */
    void clear() {
        cache.invalidateAll();
    }
}
