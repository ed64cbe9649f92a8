package dev.strongroom.secrets.rest;

import dev.strongroom.secrets.value.SecretValueService;
import dev.strongroom.security.CurrentCaller;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * Values addressed by environment and name, for workloads and External Secrets Operator's webhook
 * provider: {@code {"value": ...}} or 404 when absent or not readable. Names may contain slashes.
 */
@Path("/v1/environments/{environment}/secrets")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class EnvironmentSecretResource {

    @Inject
    SecretValueService values;

    @Inject
    CurrentCaller caller;

    @GET
    @Path("/{name: .+}/value")
    public Uni<SecretValueResponse> value(@PathParam("environment") String environment, @PathParam("name") String name,
            @QueryParam("version") String version) {
        return values.revealByName(caller.get(), environment, name, SecretViews.version(version, "version"))
                .map(SecretViews::value);
    }
}
