package dev.strongroom.common.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * {@code Cache-Control: no-store} on every answer of the API ({@code /v1/…}) that does not set its own: values,
 * tokens, share links, recovery codes and even their metadata must not sit in a browser's or a proxy's cache.
 * A resource that is public and cacheable on purpose (the JWKS) sets its own Cache-Control.
 */
public class NoStore {

    @ServerResponseFilter
    public void noStore(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        if (path != null && (path.startsWith("/v1/") || path.startsWith("/.well-known/"))
                && !response.getHeaders().containsKey(HttpHeaders.CACHE_CONTROL)) {
            response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
            response.getHeaders().putSingle("Pragma", "no-cache");
        }
    }
}
