package dev.strongroom.auth.rest;

import dev.strongroom.auth.service.UserAdminService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.ResponseStatus;

@Path("/v1/admin/users")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
public class AdminUserResource {

    @Inject
    UserAdminService admin;

    @GET
    public Uni<Page<UserResponse>> list(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        int size = Cursors.limit(limit);
        return admin.list(Cursors.decode(cursor), size + 1)
                .map(rows -> Cursors.page(rows, size, u -> u.id, Views::user));
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<UserResponse> update(@PathParam("id") String id, @Valid @NotNull UpdateUserRequest request) {
        return admin.update(id, request.roles(), request.disabled())
                .map(Views::user);
    }

    @POST
    @Path("/{id}/unlock")
    @ResponseStatus(204)
    public Uni<Void> unlock(@PathParam("id") String id) {
        return admin.unlock(id);
    }
}
