package dev.strongroom.auth.rest;

import dev.strongroom.auth.config.AuthConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /.well-known/openid-configuration}: issuer metadata, enough for OIDC-aware verifiers to find the JWKS. */
@Path("/.well-known/openid-configuration")
public class DiscoveryResource {

    @Inject
    AuthConfig config;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> discovery() {
        // From configuration only: a Host or X-Forwarded-Host header must not choose where clients fetch keys.
        String base = config.publicUrl().map(DiscoveryResource::withoutTrailingSlash).orElseGet(() -> baseOf(config.jwksUrl()));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", config.issuer());
        doc.put("jwks_uri", config.publicUrl().isPresent() ? base + JWKS_PATH : config.jwksUrl());
        doc.put("token_endpoint", base + "/v1/auth/token");
        // what POST /v1/auth/token serves; people log in at /v1/auth/login and refresh at /v1/auth/refresh
        doc.put("grant_types_supported", List.of("client_credentials"));
        doc.put("token_endpoint_auth_methods_supported", List.of("client_secret_post", "client_secret_basic"));
        doc.put("response_types_supported", List.of("token"));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
        doc.put("claims_supported", List.of("iss", "aud", "sub", "upn", "groups", "sid", "jti", "iat", "exp", "principal_type"));
        return doc;
    }

    private static final String JWKS_PATH = "/v1/auth/jwks";

    /** auth-service's base URL as the configured JWKS URL names it. */
    static String baseOf(String jwksUrl) {
        String url = withoutTrailingSlash(jwksUrl);
        return url.endsWith(JWKS_PATH) ? url.substring(0, url.length() - JWKS_PATH.length()) : java.net.URI.create(url).resolve("/").toString().replaceAll("/$", "");
    }

    private static String withoutTrailingSlash(String url) {
        return url.replaceAll("/+$", "");
    }
}
