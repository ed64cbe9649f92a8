package dev.strongroom.auth.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.strongroom.auth.service.RateLimiter;
import dev.strongroom.auth.service.ServiceAccountService;
import dev.strongroom.common.audit.RequestOrigin;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jboss.resteasy.reactive.RestForm;

/**
 * {@code POST /v1/auth/token}: the OAuth2 client-credentials grant (RFC 6749 §4.4) for service accounts.
 * Credentials as form fields or HTTP Basic; errors in OAuth2's own JSON format ({@code error}, {@code error_description}).
 */
@Path("/v1/auth/token")
public class OAuthTokenResource {

    /** The RFC 6749 §5.1 answer. */
    public record OAuthTokenResponse(@JsonProperty("access_token") String accessToken, @JsonProperty("token_type") String tokenType,
            @JsonProperty("expires_in") long expiresIn) {
        @Override
        public String toString() {
            return "OAuthTokenResponse[expiresIn=" + expiresIn + "]";
        }
    }

    /** The RFC 6749 §5.2 error answer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OAuthError(String error, @JsonProperty("error_description") String errorDescription) {}

    @Inject
    ServiceAccountService serviceAccounts;
    @Inject
    RateLimiter rateLimiter;
    @Inject
    RequestOrigin origin;

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> token(@RestForm("grant_type") String grantType, @RestForm("client_id") String clientId,
            @RestForm("client_secret") String clientSecret, @HeaderParam("Authorization") String authorization) {
        rateLimiter.acquire(RateLimiter.Endpoint.TOKEN, origin.ip());
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    clientId = java.net.URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
                    clientSecret = java.net.URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
                }
            } catch (IllegalArgumentException e) {
                return Uni.createFrom().item(error(401, "invalid_client", "Malformed Basic credentials."));
            }
        }
        if (grantType == null || grantType.isBlank()) {
            return Uni.createFrom().item(error(400, "invalid_request", "grant_type is required."));
        }
        if (!"client_credentials".equals(grantType)) {
            return Uni.createFrom().item(error(400, "unsupported_grant_type", "Only client_credentials is supported here."));
        }
        if (clientId == null || clientId.isBlank() || clientSecret == null || clientSecret.isBlank() || clientId.length() > 64
                || clientSecret.length() > 256) {
            return Uni.createFrom().item(error(401, "invalid_client", "Client authentication failed."));
        }
        return serviceAccounts.token(clientId, clientSecret)
                .map(token -> token == null
                        ? error(401, "invalid_client", "Client authentication failed.")
                        : Response.ok(new OAuthTokenResponse(token.token(), "Bearer", token.expiresIn()))
                                .header("Cache-Control", "no-store")
                                .build());
    }

    private static Response error(int status, String code, String description) {
        Response.ResponseBuilder answer = Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .header("Cache-Control", "no-store")
                .entity(new OAuthError(code, description));
        if (status == 401) {
            answer.header("WWW-Authenticate", "Basic realm=\"strongroom\"");
        }
        return answer.build();
    }
}
