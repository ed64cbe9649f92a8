package dev.strongroom.keys.rest;

import dev.strongroom.common.problem.Problems;
import dev.strongroom.keys.service.KeyCryptoService;
import dev.strongroom.keys.service.KeyDetails;
import dev.strongroom.keys.service.KeyService;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * key-service's API (docs/api-v1.md): admins manage keys; callers with the {@code kms} role read their
 * metadata; encrypt, decrypt, rewrap and datakey only callers granted the key ({@code KeyAccess}, which
 * audits every refusal). Key material never leaves, except a fresh data key's plaintext to its requester.
 */
@Path("/v1/keys")
@Produces(MediaType.APPLICATION_JSON)
public class KeyResource {

    static final String ADMIN = "admin";
    static final String KMS = "kms";

    @Inject
    KeyService keys;

    @Inject
    KeyCryptoService crypto;

    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @RolesAllowed(ADMIN)
    public Uni<RestResponse<KeyResponse>> create(@NotNull @Valid CreateKeyRequest request) {
        String algorithm = request.algorithm() == null ? dev.strongroom.keys.Key.AES256_GCM : request.algorithm();
        return keys.create(request.name(), algorithm)
                .map(KeyResponse::of)
                .map(key -> RestResponse.ResponseBuilder.<KeyResponse>created(URI.create("/v1/keys/" + key.name())).entity(key).build());
    }

    @GET
    @RolesAllowed({ADMIN, KMS})
    public Uni<KeyListResponse> list(@QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit,
            @QueryParam("cursor") String cursor) {
        return keys.list(decodeCursor(cursor), limit + 1)
                .map(page -> page(page, limit));
    }

    @GET
    @Path("/{name}")
    @RolesAllowed({ADMIN, KMS})
    public Uni<KeyResponse> get(@PathParam("name") @Pattern(regexp = KeyNames.PATTERN, message = KeyNames.MESSAGE) String name) {
        return keys.get(name)
                .map(KeyResponse::of);
    }

    @POST
    @Path("/{name}/rotate")
    @RolesAllowed(ADMIN)
    public Uni<KeyResponse> rotate(@PathParam("name") @Pattern(regexp = KeyNames.PATTERN, message = KeyNames.MESSAGE) String name) {
        return keys.rotate(name)
                .map(KeyResponse::of);
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @PATCH
    @Path("/{name}")
    @RolesAllowed(ADMIN)
    public Uni<KeyResponse> update(@PathParam("name") @Pattern(regexp = KeyNames.PATTERN, message = KeyNames.MESSAGE) String name,
            @NotNull UpdateKeyRequest request) {
        if (request.minDecryptionVersion == null && !request.autoRotatePeriodSet()) {
            throw Problems.ValidationFailed.of("body", "give minDecryptionVersion and/or autoRotatePeriod");
        }
        Duration period = request.autoRotatePeriodSet() ? parsePeriod(request.getAutoRotatePeriod()) : null;
        return keys.update(name, request.minDecryptionVersion, request.autoRotatePeriodSet(), period)
                .map(KeyResponse::of);
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @Path("/{name}/encrypt")
    @Authenticated
    public Uni<CiphertextResponse> encrypt(@PathParam("name") @Pattern(regexp = KeyNames.PATTERN, message = KeyNames.MESSAGE) String name,
            @NotNull @Valid EncryptRequest request) {
        byte[] plaintext = Base64Fields.decode("plaintext", request.plaintext());
        byte[] context = Base64Fields.decode("context", request.context());
        return crypto.encrypt(name, plaintext, context)
                .map(c -> new CiphertextResponse(Base64Fields.encode(c.bytes()), c.keyVersion()));
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @Path("/{name}/decrypt")
    @Authenticated
    public Uni<PlaintextResponse> decrypt(@PathParam("name") @Pattern(regexp = KeyNames.PATTERN, message = KeyNames.MESSAGE) String name,
            @NotNull @Valid CiphertextRequest request) {
        byte[] ciphertext = Base64Fields.decode("ciphertext", request.ciphertext());
        byte[] context = Base64Fields.decode("context", request.context());
        return crypto.decrypt(name, ciphertext, context)
                .map(plaintext -> new PlaintextResponse(Base64Fields.encode(plaintext)));
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @Path("/{name}/rewrap")
    @Authenticated
    public Uni<CiphertextResponse> rewrap(@PathParam("name") @Pattern(regexp = KeyNames.PATTERN, message = KeyNames.MESSAGE) String name,
            @NotNull @Valid CiphertextRequest request) {
        byte[] ciphertext = Base64Fields.decode("ciphertext", request.ciphertext());
        byte[] context = Base64Fields.decode("context", request.context());
        return crypto.rewrap(name, ciphertext, context)
                .map(c -> new CiphertextResponse(Base64Fields.encode(c.bytes()), c.keyVersion()));
    }

    @POST
    @Path("/{name}/datakey")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    @Authenticated
    public Uni<DataKeyResponse> dataKey(@PathParam("name") @Pattern(regexp = KeyNames.PATTERN, message = KeyNames.MESSAGE) String name,
            DataKeyRequest request) {
        byte[] context = Base64Fields.decode("context", request == null ? null : request.context());
        return crypto.dataKey(name, context)
                .map(d -> new DataKeyResponse(Base64Fields.encode(d.plaintext()), Base64Fields.encode(d.ciphertext().bytes()),
                        d.ciphertext().keyVersion()));
    }

    private static KeyListResponse page(List<KeyDetails> fetched, int limit) {
        boolean more = fetched.size() > limit;
        List<KeyDetails> items = more ? fetched.subList(0, limit) : fetched;
        String next = more ? encodeCursor(items.get(items.size() - 1).key().name) : null;
        return new KeyListResponse(items.stream().map(KeyResponse::of).toList(), next);
    }

    private static String encodeCursor(String lastName) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastName.getBytes(StandardCharsets.US_ASCII));
    }

    private static String decodeCursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String name = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (name.matches(KeyNames.PATTERN)) {
                return name;
            }
        } catch (IllegalArgumentException e) {
            // falls through to the problem
        }
        throw new Problems.MalformedRequest("The cursor is not one this service issued.");
    }

    private static Duration parsePeriod(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            Duration period = Duration.parse(value);
            if (period.isNegative()) {
                throw Problems.ValidationFailed.of("autoRotatePeriod", "must not be negative");
            }
            return period;
        } catch (DateTimeParseException e) {
            throw Problems.ValidationFailed.of("autoRotatePeriod", "must be an ISO-8601 duration such as P30D or PT12H");
        }
    }
}
