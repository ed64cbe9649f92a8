package dev.strongroom.sharing.rest;

import dev.strongroom.common.problem.PageLimit;
import dev.strongroom.common.problem.Problems;
import dev.strongroom.sharing.Share;
import dev.strongroom.sharing.config.SharingConfig;
import dev.strongroom.sharing.service.ShareRules;
import dev.strongroom.sharing.service.ShareService;
import dev.strongroom.sharing.service.Times;
import dev.strongroom.security.CurrentCaller;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.Base64;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestResponse;

/** sharing-service's API (docs/sharing.md, api-v1.md): parse, call one service method, map the answer. */
@Path("/v1/shares")
@Produces(MediaType.APPLICATION_JSON)
public class ShareResource {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    @Inject
    ShareService shares;

    @Inject
    CurrentCaller caller;

    @Inject
    SharingConfig config;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({"user", "admin"})
    public Uni<RestResponse<CreatedShareResponse>> create(CreateShareRequest request, @HeaderParam("Authorization") String authorization) {
        if (request == null) {
            throw Problems.ValidationFailed.of("body", "a JSON body is required");
        }
        var validated = ShareRules.create(request.secretId(), request.version(), request.ttlSeconds(), request.maxViews(),
                request.passphrase(), request.notifyEmail(), config);
        return shares.create(caller.get(), bearer(authorization), validated)
                .map(created -> {
                    Share s = created.share();
                    return RestResponse.ResponseBuilder.<CreatedShareResponse>created(URI.create("/v1/shares/" + s.id))
                            .entity(new CreatedShareResponse(s.id.toString(), created.url(), Times.instant(s.expiresAt), s.maxViews,
                                    s.viewsLeft, s.secretId.toString(), s.secretVersion, s.passphraseHash != null))
                            .header("Cache-Control", "no-store")
                            .build();
                });
    }

    @GET
    @Authenticated
    public Uni<PageResponse<ShareResponse>> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return shares.list(caller.get(), after(cursor), limit(limit))
                .map(page -> new PageResponse<>(page.shares().stream().map(ShareResource::view).toList(),
                        page.next() == null ? null : Base64.getUrlEncoder().withoutPadding().encodeToString(page.next().toString().getBytes())));
    }

    @DELETE
    @Path("/{id}")
    @Authenticated
    public Uni<RestResponse<Void>> revoke(@PathParam("id") String id) {
        UUID shareId = ShareRules.uuid(id);
        if (shareId == null) {
            throw new Problems.NotFound("No such share.");
        }
        return shares.revoke(caller.get(), shareId)
                .map(nothing -> RestResponse.noContent());
    }

    @POST
    @Path("/{token}/open")
    @PermitAll
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    public Uni<RestResponse<OpenResponse>> open(@PathParam("token") String token, OpenRequest request) {
        return shares.open(token, request == null ? null : request.passphrase())
                .map(opened -> RestResponse.ResponseBuilder.ok(new OpenResponse(opened.shareId().toString(),
                                Base64.getEncoder().encodeToString(opened.ciphertext()), opened.viewsLeft()))
                        .header("Cache-Control", "no-store")
                        .build());
    }

    @POST
    @Path("/{token}/reveal")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<RevealResponse>> reveal(@PathParam("token") String token, RevealRequest request) {
        if (request == null || request.key() == null) {
            throw Problems.ValidationFailed.of("key", "is required: the part after # in the link");
        }
        return shares.reveal(token, request.key(), request.passphrase())
                .map(opened -> RestResponse.ResponseBuilder.ok(new RevealResponse(opened.value(), opened.viewsLeft()))
                        .header("Cache-Control", "no-store")
                        .build());
    }

    static ShareResponse view(Share s) {
        String state = "active".equals(s.state) && !s.expiresAt.isAfter(Times.now()) ? "expired" : s.state;
        return new ShareResponse(s.id.toString(), s.secretId.toString(), s.secretName, s.environment, s.secretVersion,
                Times.instant(s.createdAt), Times.instant(s.expiresAt), s.maxViews, s.viewsLeft, state,
                s.passphraseHash != null, Times.instant(s.endedAt));
    }

    private static String bearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : "";
    }

    private static UUID after(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            UUID id = ShareRules.uuid(new String(Base64.getUrlDecoder().decode(cursor)));
            if (id != null) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // falls through
        }
        throw Problems.ValidationFailed.of("cursor", "is not a cursor of this list");
    }

    private static int limit(String text) {
        return PageLimit.parse(text, DEFAULT_LIMIT, MAX_LIMIT);
    }
}
