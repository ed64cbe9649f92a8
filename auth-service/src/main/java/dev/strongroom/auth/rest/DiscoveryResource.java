package dev.strongroom.auth.rest;

import dev.strongroom.auth.config.AuthConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
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
    public Map<String, Object> discovery(@Context UriInfo uri) {
        String base = config.publicUrl().orElseGet(() -> uri.getBaseUri().toString());
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", config.issuer());
        doc.put("jwks_uri", base + "/v1/auth/jwks");
        doc.put("token_endpoint", base + "/v1/auth/token");
        doc.put("grant_types_supported", List.of("client_credentials", "password", "refresh_token"));
        doc.put("token_endpoint_auth_methods_supported", List.of("client_secret_post", "client_secret_basic"));
        doc.put("response_types_supported", List.of("token"));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
        doc.put("claims_supported", List.of("iss", "aud", "sub", "upn", "groups", "sid", "jti", "iat", "exp", "principal_type"));
        return doc;
    }
}
