package dev.strongroom.common.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is a plain token,
 * otherwise a fresh UUID. Error bodies, logs and audit events carry it; the answer echoes it.
 */
public class RequestIds {

    public static final String HEADER = "X-Request-Id";
    private static final String PROPERTY = "strongroom.requestId";
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    @ServerRequestFilter(preMatching = true)
    public void assign(ContainerRequestContext request) {
        String offered = request.getHeaderString(HEADER);
        request.setProperty(PROPERTY, offered != null && accepted(offered) ? offered : UUID.randomUUID().toString());
    }

    @ServerResponseFilter
    public void echo(ContainerRequestContext request, ContainerResponseContext response) {
        response.getHeaders().putSingle(HEADER, of(request));
    }

    /** Whether a client-offered id is used as is (a plain token of at most 128 characters). */
    public static boolean accepted(String offered) {
        return ACCEPTED.matcher(offered).matches();
    }

    /** The id of this request (assigned on first use if the filter has not run). */
    public static String of(ContainerRequestContext request) {
        Object id = request.getProperty(PROPERTY);
        if (id == null) {
            id = UUID.randomUUID().toString();
            request.setProperty(PROPERTY, id);
        }
        return id.toString();
    }
}
