package dev.strongroom.security;

import io.quarkus.security.Authenticated;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Exists only in this module's tests: endpoints guarded the way services guard theirs. */
@Path("/v1/callers")
@Produces(MediaType.APPLICATION_JSON)
public class CallerExamplesResource {

    @Inject
    CurrentCaller caller;

    @GET
    @Path("/me")
    @Authenticated
    public Caller me() {
        return caller.get();
    }

    /** A path whose segment may equal an issuer tenant's name (quarkus-oidc would pick that tenant by path). */
    @GET
    @Path("/{segment}/me")
    @Authenticated
    public Caller meUnder() {
        return caller.get();
    }

    @GET
    @Path("/admin-only")
    @RolesAllowed("admin")
    public String adminOnly() {
        return "{\"ok\":true}";
    }
}
