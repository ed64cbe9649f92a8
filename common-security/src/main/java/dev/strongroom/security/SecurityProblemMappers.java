package dev.strongroom.security;

import dev.strongroom.common.problem.ProblemMappers;
import dev.strongroom.common.web.RequestIds;
import io.quarkus.oidc.OIDCException;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * 401 and 403 as problem+json. A 401 never says why a token was refused (expired, bad signature,
 * wrong issuer all read the same), so probing tokens teaches an attacker nothing. A token whose issuer
 * cannot be reached right now (quarkus-oidc's {@link OIDCException}, logged by quarkus-oidc) cannot be
 * verified either: also 401.
 */
public class SecurityProblemMappers {

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class, AuthenticationCompletionException.class,
            OIDCException.class})
    public Response unauthenticated(RuntimeException e, ContainerRequestContext request) {
        return Response.status(401)
                .type(dev.strongroom.common.problem.Problem.MEDIA_TYPE)
                .header("WWW-Authenticate", "Bearer")
                .entity(ProblemMappers.problem(401, "unauthenticated", "Unauthorized",
                        "A valid access token is required: send Authorization: Bearer <access token>.",
                        request.getUriInfo().getPath(), RequestIds.of(request), null))
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, ContainerRequestContext request) {
        return Response.status(403)
                .type(dev.strongroom.common.problem.Problem.MEDIA_TYPE)
                .entity(ProblemMappers.problem(403, "forbidden", "Forbidden", "Your roles do not allow this.",
                        request.getUriInfo().getPath(), RequestIds.of(request), null))
                .build();
    }
}
