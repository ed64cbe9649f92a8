package dev.strongroom.auth.rest;

import dev.strongroom.auth.service.ServiceAccountService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.ResponseStatus;

@Path("/v1/admin/service-accounts")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
public class ServiceAccountResource {

    @Inject
    ServiceAccountService serviceAccounts;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public Uni<ServiceAccountResponse> create(@Valid @NotNull CreateServiceAccountRequest request) {
        return serviceAccounts.create(request.name(), request.roles())
                .map(created -> Views.serviceAccount(created.account(), created.clientSecret()));
    }

    @GET
    public Uni<Page<ServiceAccountResponse>> list(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        int size = Cursors.limit(limit);
        return serviceAccounts.list(Cursors.decode(cursor), size + 1)
                .map(rows -> Cursors.page(rows, size, a -> a.id, a -> Views.serviceAccount(a, null)));
    }

    @DELETE
    @Path("/{id}")
    @ResponseStatus(204)
    public Uni<Void> delete(@PathParam("id") String id) {
        return serviceAccounts.delete(id);
    }
}
