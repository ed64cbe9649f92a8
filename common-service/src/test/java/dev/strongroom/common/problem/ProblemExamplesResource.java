package dev.strongroom.common.problem;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** A resource that exists only in this module's tests, to drive every branch of the error model. */
@Path("/v1/examples")
@Produces(MediaType.APPLICATION_JSON)
public class ProblemExamplesResource {

    public record CreateExampleRequest(
            @NotBlank @Size(max = 8) String name,
            @Min(1) @Max(10) int count,
            List<@NotBlank String> tags) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Valid @jakarta.validation.constraints.NotNull CreateExampleRequest request) {
        return Response.status(201).entity(request).build();
    }

    @GET
    @Path("/failure")
    public String failure() {
        throw new IllegalStateException("SELECT value FROM secret_versions WHERE id = 42 -- s3cr3t-in-message");
    }

    /** A failure on a path that carries a credential, like a share link's token. */
    @GET
    @Path("/unreachable")
    public String unreachable() {
        // what the reactive MariaDB client fails with when the database is down, wrapped as Hibernate Reactive does
        throw new IllegalStateException("HR000068: could not obtain a connection s3cr3t-host",
                new java.net.ConnectException("Connection refused: 10.0.0.7/10.0.0.7:3306"));
    }

    @GET
    @Path("/failure/{token}")
    public String failureOnASecretPath(@jakarta.ws.rs.PathParam("token") String token) {
        // as a careless library would: the credential in the message of the failure and of its cause
        throw new IllegalStateException("failed for " + token, new IllegalArgumentException("bad value " + token));
    }

    @POST
    @Path("/form")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public io.smallrye.mutiny.Uni<String> form(@org.jboss.resteasy.reactive.RestForm("field") String field) {
        // reactive like auth-service's token endpoint: the form is parsed on the event loop as it arrives
        return io.smallrye.mutiny.Uni.createFrom().item("{\"length\":" + (field == null ? 0 : field.length()) + "}");
    }

    @jakarta.inject.Inject
    io.vertx.mutiny.core.Vertx vertx;

    /**
     * A query that runs until the test breaks its connection, on a pool of its own to {@code 127.0.0.1:port} (the
     * test's proxy in front of MariaDB), so the failure reaches the mappers exactly as the client library reports it.
     */
    @GET
    @Path("/slow-query/{port}/{marker}")
    public io.smallrye.mutiny.Uni<String> slowQuery(@jakarta.ws.rs.PathParam("port") int port, @jakarta.ws.rs.PathParam("marker") long marker) {
        org.eclipse.microprofile.config.Config config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        io.vertx.mysqlclient.MySQLConnectOptions options = new io.vertx.mysqlclient.MySQLConnectOptions()
                .setHost("127.0.0.1").setPort(port)
                .setUser(config.getValue("strongroom.db.user", String.class))
                .setPassword(config.getOptionalValue("strongroom.db.password", String.class).orElse(""))
                .setDatabase(config.getValue("strongroom.db.name", String.class));
        io.vertx.mutiny.sqlclient.Pool pool = io.vertx.mutiny.mysqlclient.MySQLPool.pool(vertx, options, new io.vertx.sqlclient.PoolOptions().setMaxSize(1));
        // the marker finds this query in the processlist
        return pool.query("SELECT SLEEP(30) AS marker_" + marker).execute().map(rows -> "{}")
                .onTermination().call(pool::close);
    }

    /**
     * A statement on a connection the database closed after it was handed out, as a transaction's next statement is
     * when the database dies between two of them: the client library fails it without touching the network.
     */
    @GET
    @Path("/statement-after-close")
    public io.smallrye.mutiny.Uni<String> statementAfterClose() {
        org.eclipse.microprofile.config.Config config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        io.vertx.mysqlclient.MySQLConnectOptions options = new io.vertx.mysqlclient.MySQLConnectOptions()
                .setHost(config.getValue("strongroom.db.host", String.class)).setPort(config.getValue("strongroom.db.port", Integer.class))
                .setUser(config.getValue("strongroom.db.user", String.class))
                .setPassword(config.getOptionalValue("strongroom.db.password", String.class).orElse(""))
                .setDatabase(config.getValue("strongroom.db.name", String.class));
        io.vertx.mutiny.sqlclient.Pool pool = io.vertx.mutiny.mysqlclient.MySQLPool.pool(vertx, options, new io.vertx.sqlclient.PoolOptions().setMaxSize(2));
        return pool.getConnection().chain(held -> {
                    // watched before the KILL: the server may close the socket before it answers the KILL
                    java.util.concurrent.CompletableFuture<Void> closed = new java.util.concurrent.CompletableFuture<>();
                    held.closeHandler(() -> closed.complete(null));
                    return held.query("SELECT CONNECTION_ID()").execute()
                            .map(rows -> rows.iterator().next().getLong(0))
                            .chain(id -> pool.query("KILL CONNECTION " + id).execute())
                            .chain(() -> io.smallrye.mutiny.Uni.createFrom().completionStage(closed))
                            .ifNoItem().after(java.time.Duration.ofSeconds(10)).fail()
                            .chain(() -> held.query("SELECT 1").execute())
                            .map(rows -> "{}");
                })
                .onTermination().call(pool::close);
    }

    @GET
    @Path("/gone")
    public String gone() {
        throw new Problems.Gone("share-expired", "This share link has expired.");
    }

    @GET
    @Path("/limited")
    public String limited() {
        throw new Problems.RateLimited(30);
    }
}
