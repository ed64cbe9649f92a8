package dev.strongroom.secrets.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strongroom.common.problem.PageLimit;
import dev.strongroom.common.problem.Problems;
import dev.strongroom.secrets.SecretFilter;
import dev.strongroom.secrets.access.GrantService;
import dev.strongroom.secrets.lifecycle.SecretService;
import dev.strongroom.secrets.report.SecretReportService;
import dev.strongroom.secrets.rotation.RotationService;
import dev.strongroom.secrets.support.SecretRules;
import dev.strongroom.secrets.support.Times;
import dev.strongroom.secrets.value.RewrapService;
import dev.strongroom.secrets.value.SecretValueService;
import dev.strongroom.secrets.value.ValueIntegrityService;
import dev.strongroom.security.CurrentCaller;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestResponse;

/** secrets-service's API (docs/secrets.md, api-v1.md): parse, call one service method, map the answer. */
@Path("/v1/secrets")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class SecretResource {

    static final int DEFAULT_LIMIT = 50;
    static final int REWRAP_BATCH = 200;
    static final int MAX_REWRAP_BATCH = 1000;
    static final int MAX_LIMIT = 500;
    /** The header carrying a calling service's own access token (share-value). */
    public static final String SERVICE_TOKEN_HEADER = "X-Strongroom-Service-Token";

    @Inject
    SecretService secrets;

    @Inject
    SecretValueService values;

    @Inject
    RotationService rotations;

    @Inject
    GrantService grantService;

    @Inject
    SecretReportService reports;

    @Inject
    ValueIntegrityService integrity;

    @Inject
    CurrentCaller caller;

    @Inject
    RewrapService rewraps;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({"user", "admin"})
    public Uni<RestResponse<SecretMetadataResponse>> create(CreateSecretRequest request) {
        return secrets.create(caller.get(), SecretViews.newSecret(required(request)))
                .map(SecretViews::metadata)
                .map(body -> RestResponse.ResponseBuilder.<SecretMetadataResponse>created(URI.create("/v1/secrets/" + body.id()))
                        .entity(body)
                        .build());
    }

    @GET
    public Uni<PageResponse<SecretMetadataResponse>> list(@QueryParam("environment") String environment,
            @QueryParam("tag") List<String> tags, @QueryParam("q") String prefix, @QueryParam("type") String type,
            @QueryParam("deleted") String deleted, @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        SecretFilter filter = new SecretFilter(blankToNull(environment), blankToNull(prefix), blankToNull(type),
                tagFilter(tags), "true".equals(deleted));
        secrets.checkFilter(filter);
        return secrets.list(caller.get(), filter, SecretViews.after(cursor), limit(limit))
                .map(page -> new PageResponse<>(page.secrets().stream().map(SecretViews::metadata).toList(),
                        SecretViews.cursor(page.next())));
    }

    /** Opens every secret's current version (values are discarded): the check after a restore. Admin only. */
    @GET
    @Path("/integrity")
    @RolesAllowed("admin")
    public Uni<IntegrityResponse> integrity() {
        return integrity.check()
                .map(r -> new IntegrityResponse(r.ok(), r.checked(), r.failed(), r.failures().stream()
                        .map(f -> new IntegrityResponse.Failure(f.secretId().toString(), f.version(), f.reason()))
                        .toList()));
    }

    /**
     * Wraps every kept version's data key again under the KEK's primary version (after a KEK rotation, before raising
     * its minDecryptionVersion). {@code ?batch=} versions per database read, 1..1000 (default 200). Admin only.
     */
    @POST
    @Path("/rewrap")
    @RolesAllowed("admin")
    public Uni<RewrapResponse> rewrap(@QueryParam("batch") String batch) {
        int batchSize = rewrapBatch(batch);
        return rewraps.rewrapAll(batchSize)
                .map(r -> new RewrapResponse(r.kekName(), r.kekVersion(), r.checked(), r.rewrapped(), r.alreadyCurrent(),
                        r.skipped(), r.failed(), r.behind()));
    }

    @GET
    @Path("/report")
    @RolesAllowed("admin")
    public Uni<ReportResponse> report() {
        return reports.report()
                .map(r -> new ReportResponse(Times.instant(r.generatedAt()), r.total(), r.byEnvironment(), r.byType(),
                        r.expiringWithinDays(), r.expiringSoonCount(), items(r.expiringSoon()), r.expiredCount(),
                        items(r.expired()), r.overdueCount(), items(r.overdue())));
    }

    /** The colon may arrive raw or percent-encoded (RFC 3986 allows both); either form is this endpoint. */
    @POST
    @Path("/{batchGet: values(:|%3[aA])batchGet}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<BatchGetResponse> batchGet(BatchGetRequest request) {
        BatchGetRequest body = required(request);
        return values.batch(caller.get(), body.environment(), body.names())
                .map(batch -> {
                    Map<String, String> found = new LinkedHashMap<>();
                    Map<String, Integer> versions = new LinkedHashMap<>();
                    batch.values().forEach((name, revealed) -> {
                        found.put(name, revealed.value());
                        versions.put(name, revealed.version().version);
                    });
                    return new BatchGetResponse(found, versions, batch.missing(), batch.expired());
                });
    }

    @GET
    @Path("/{id}")
    public Uni<SecretMetadataResponse> get(@PathParam("id") String id) {
        return secrets.metadata(caller.get(), SecretViews.id(id))
                .map(SecretViews::metadata);
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<SecretMetadataResponse> patch(@PathParam("id") String id, JsonNode body) {
        return secrets.patch(caller.get(), SecretViews.id(id), PatchParser.parse(body))
                .map(SecretViews::metadata);
    }

    @DELETE
    @Path("/{id}")
    public Uni<RestResponse<Void>> delete(@PathParam("id") String id) {
        return secrets.delete(caller.get(), SecretViews.id(id))
                .map(nothing -> RestResponse.noContent());
    }

    @POST
    @Path("/{id}/restore")
    public Uni<SecretMetadataResponse> restore(@PathParam("id") String id) {
        return secrets.restore(caller.get(), SecretViews.id(id))
                .map(SecretViews::metadata);
    }

    @GET
    @Path("/{id}/value")
    public Uni<SecretValueResponse> value(@PathParam("id") String id, @QueryParam("version") String version) {
        return values.reveal(caller.get(), SecretViews.id(id), SecretViews.version(version, "version"))
                .map(SecretViews::value);
    }

    /**
     * For sharing-service only: the value to put behind a share link. {@code Authorization} carries the sharer's token
     * (who needs SHARE), {@code X-Strongroom-Service-Token} sharing-service's own. {@code {"version": N}} picks a
     * version (default: current).
     */
    @POST
    @Path("/{id}/share-value")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    public Uni<SecretValueResponse> shareValue(@PathParam("id") String id, RollbackRequest request,
            @HeaderParam(SERVICE_TOKEN_HEADER) String serviceToken) {
        Integer version = request == null ? null : request.version();
        if (version != null && version < 1) {
            throw Problems.ValidationFailed.of("version", "must be a positive version number");
        }
        return values.revealForShare(caller.get(), serviceToken, SecretViews.id(id), version)
                .map(SecretViews::value);
    }

    @PUT
    @Path("/{id}/value")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<VersionResponse> write(@PathParam("id") String id, WriteValueRequest request) {
        WriteValueRequest body = required(request);
        return values.write(caller.get(), SecretViews.id(id), body.value(), body.cas())
                .map(v -> SecretViews.version(v, v.version));
    }

    @GET
    @Path("/{id}/versions")
    public Uni<PageResponse<VersionResponse>> versions(@PathParam("id") String id) {
        return secrets.versions(caller.get(), SecretViews.id(id))
                .map(found -> new PageResponse<>(found.versions().stream()
                        .map(v -> SecretViews.version(v, found.secret().currentVersion))
                        .toList(), null));
    }

    @DELETE
    @Path("/{id}/versions/{version}")
    public Uni<RestResponse<Void>> destroy(@PathParam("id") String id, @PathParam("version") String version) {
        Integer number = SecretViews.version(version, "version");
        if (number == null) {
            throw new Problems.NotFound("No such version.");
        }
        return secrets.destroyVersion(caller.get(), SecretViews.id(id), number)
                .map(nothing -> RestResponse.noContent());
    }

    @POST
    @Path("/{id}/rotate")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    public Uni<VersionResponse> rotate(@PathParam("id") String id, RotateRequest request) {
        return rotations.rotate(caller.get(), SecretViews.id(id), request == null ? null : request.value())
                .map(v -> SecretViews.version(v, v.version));
    }

    @POST
    @Path("/{id}/rollback")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<VersionResponse> rollback(@PathParam("id") String id, RollbackRequest request) {
        return values.rollback(caller.get(), SecretViews.id(id), required(request).version())
                .map(v -> SecretViews.version(v, v.version));
    }

    @GET
    @Path("/{id}/access")
    public Uni<AccessResponse> access(@PathParam("id") String id) {
        return grantService.access(caller.get(), SecretViews.id(id))
                .map(found -> SecretViews.access(found.secret(), found.grants()));
    }

    @PUT
    @Path("/{id}/access")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<AccessResponse> replaceAccess(@PathParam("id") String id, AccessRequest request) {
        AccessRequest body = required(request);
        List<SecretRules.GrantSpec> grants = body.grants() == null ? null : body.grants().stream()
                .map(g -> g == null ? null : new SecretRules.GrantSpec(g.principal(), g.permissions()))
                .toList();
        return grantService.replaceAccess(caller.get(), SecretViews.id(id), grants)
                .map(found -> SecretViews.access(found.secret(), found.grants()));
    }

    private static <T> T required(T body) {
        if (body == null) {
            throw Problems.ValidationFailed.of("body", "a JSON body is required");
        }
        return body;
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** {@code ?batch=}: absent means 200, else 1..1000; a 422 naming {@code batch} otherwise. */
    private static int rewrapBatch(String text) {
        if (text == null || text.isEmpty()) {
            return REWRAP_BATCH;
        }
        try {
            int batch = Integer.parseInt(text);
            if (batch >= 1 && batch <= MAX_REWRAP_BATCH) {
                return batch;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw Problems.ValidationFailed.of("batch", "must be between 1 and " + MAX_REWRAP_BATCH);
    }

    private static int limit(String text) {
        return PageLimit.parse(text, DEFAULT_LIMIT, MAX_LIMIT);
    }

    /** {@code tag=k:v}, repeatable (all must match). */
    private static Map<String, String> tagFilter(List<String> tags) {
        Map<String, String> filter = new LinkedHashMap<>();
        if (tags == null) {
            return filter;
        }
        if (tags.size() > 10) {
            throw Problems.ValidationFailed.of("tag", "at most 10 tag filters");
        }
        for (String tag : tags) {
            int colon = tag == null ? -1 : tag.indexOf(':');
            if (colon < 1 || !SecretRules.TAG_KEY.matcher(tag.substring(0, colon)).matches()) {
                throw Problems.ValidationFailed.of("tag", "must be key:value with a key of [a-zA-Z0-9._/-]");
            }
            filter.put(tag.substring(0, colon), tag.substring(colon + 1));
        }
        return filter;
    }

    private static List<ReportResponse.Item> items(List<dev.strongroom.secrets.Secret> secrets) {
        return secrets.stream()
                .map(s -> new ReportResponse.Item(s.id.toString(), s.name, s.environment, s.type, Times.instant(s.expiresAt),
                        Times.instant(s.rotationDueAt)))
                .toList();
    }
}
