package dev.strongroom.auth.rest;

import dev.strongroom.auth.service.KubernetesService;
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

@Path("/v1/admin/kubernetes/roles")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
public class KubernetesRoleResource {

    @Inject
    KubernetesService kubernetes;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public Uni<KubernetesRoleResponse> create(@Valid @NotNull KubernetesRoleRequest request) {
        return kubernetes.create(request.name(), request.boundNamespaces(), request.boundServiceAccounts(), request.audience(),
                        request.roles())
                .map(Views::kubernetesRole);
    }

    @GET
    public Uni<Page<KubernetesRoleResponse>> list(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        int size = Cursors.limit(limit);
        return kubernetes.list(Cursors.decode(cursor), size + 1)
                .map(rows -> Cursors.page(rows, size, r -> r.name, Views::kubernetesRole));
    }

    @DELETE
    @Path("/{name}")
    @ResponseStatus(204)
    public Uni<Void> delete(@PathParam("name") String name) {
        return kubernetes.delete(name);
    }
}
