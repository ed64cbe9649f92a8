package dev.strongroom.auth.rest;

import dev.strongroom.auth.service.AccountService;
import dev.strongroom.auth.service.AuthTokens;
import dev.strongroom.auth.service.KubernetesService;
import dev.strongroom.auth.service.MfaService;
import dev.strongroom.auth.service.RateLimiter;
import dev.strongroom.auth.service.SigningKeys;
import dev.strongroom.common.audit.RequestOrigin;
import dev.strongroom.common.problem.Problems;
import dev.strongroom.security.Caller;
import dev.strongroom.security.CurrentCaller;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.ResponseStatus;

/** The public and per-user endpoints of {@code /v1/auth}. */
@Path("/v1/auth")
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    @Inject
    AccountService accounts;
    @Inject
    MfaService mfa;
    @Inject
    KubernetesService kubernetes;
    @Inject
    RateLimiter rateLimiter;
    @Inject
    SigningKeys signingKeys;
    @Inject
    RequestOrigin origin;
    @Inject
    CurrentCaller currentCaller;

    @POST
    @Path("/register")
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(201)
    public Uni<UserResponse> register(@Valid @NotNull RegisterRequest request) {
        rateLimiter.acquire(RateLimiter.Endpoint.REGISTER, origin.ip());
        return accounts.register(request.username(), request.password(), request.email())
                .map(Views::user);
    }

    @POST
    @Path("/login")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<TokenPairResponse> login(@Valid @NotNull LoginRequest request) {
        rateLimiter.acquire(RateLimiter.Endpoint.LOGIN, origin.ip());
        return accounts.login(request.username(), request.password(), request.totp(), origin.ip(), origin.userAgent())
                .map(AuthResource::pair);
    }

    @POST
    @Path("/refresh")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<TokenPairResponse> refresh(@Valid @NotNull RefreshRequest request) {
        rateLimiter.acquire(RateLimiter.Endpoint.REFRESH, origin.ip());
        return accounts.refresh(request.refreshToken())
                .map(AuthResource::pair);
    }

    @POST
    @Path("/logout")
    @Authenticated
    @ResponseStatus(204)
    public Uni<Void> logout() {
        return accounts.logout(currentCaller.get());
    }

    @GET
    @Path("/me")
    @Authenticated
    public Uni<MeResponse> me() {
        Caller caller = currentCaller.get();
        return accounts.me(caller)
                .map(user -> user == null
                        ? new MeResponse(caller.id(), caller.name(), caller.roles(), false, caller.type().prefix())
                        : new MeResponse(user.id, user.username, user.roleSet(), user.mfaEnabled(), "user"));
    }

    @POST
    @Path("/password")
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(204)
    public Uni<Void> changePassword(@Valid @NotNull PasswordChangeRequest request) {
        rateLimiter.acquire(RateLimiter.Endpoint.LOGIN, origin.ip());
        return accounts.changePassword(currentCaller.get(), request.currentPassword(), request.newPassword());
    }

    @POST
    @Path("/mfa/totp")
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<TotpEnrolmentResponse> startTotp(@Valid EnrolmentRequest request) {
        String userId = userId();
        rateLimiter.acquire(RateLimiter.Endpoint.MFA, userId);
        return mfa.start(userId, request == null ? null : request.password())
                .map(e -> new TotpEnrolmentResponse(e.secret(), e.otpauthUri(), e.qrPngBase64()));
    }

    @POST
    @Path("/mfa/totp/confirm")
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RecoveryCodesResponse> confirmTotp(@Valid @NotNull CodeRequest request) {
        String userId = userId();
        rateLimiter.acquire(RateLimiter.Endpoint.MFA, userId);
        return mfa.confirm(userId, request.code())
                .map(RecoveryCodesResponse::new);
    }

    @DELETE
    @Path("/mfa/totp")
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(204)
    public Uni<Void> disableTotp(@Valid @NotNull CodeRequest request) {
        String userId = userId();
        rateLimiter.acquire(RateLimiter.Endpoint.MFA, userId);
        return mfa.disable(userId, request.code());
    }

    @POST
    @Path("/kubernetes/login")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<TokenPairResponse> kubernetesLogin(@Valid @NotNull KubernetesLoginRequest request) {
        rateLimiter.acquire(RateLimiter.Endpoint.TOKEN, origin.ip());
        return kubernetes.login(request.role(), request.jwt())
                .map(token -> new TokenPairResponse(token.token(), "Bearer", token.expiresIn(), null));
    }

    @GET
    @Path("/jwks")
    public Response jwks() {
        return Response.ok(signingKeys.publicJwks(), MediaType.APPLICATION_JSON)
                .header("Cache-Control", "public, max-age=300")
                .build();
    }

    private String userId() {
        Caller caller = currentCaller.get();
        if (caller.type() != Caller.PrincipalType.USER) {
            throw new Problems.Forbidden("Only people have MFA.");
        }
        return caller.id();
    }

    static TokenPairResponse pair(AuthTokens tokens) {
        return new TokenPairResponse(tokens.accessToken(), "Bearer", tokens.expiresIn(), tokens.refreshToken());
    }
}
