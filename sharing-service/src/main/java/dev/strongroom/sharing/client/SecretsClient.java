package dev.strongroom.sharing.client;

import dev.strongroom.common.problem.ProblemException;
import dev.strongroom.common.problem.Problems;
import dev.strongroom.common.tls.ServiceTls;
import dev.strongroom.sharing.config.SharingConfig;
import dev.strongroom.sharing.ShareProblems;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * secrets-service's {@code POST /v1/secrets/{id}/share-value}: the value behind a new share, fetched with the
 * sharer's own token (secrets-service checks SHARE) and sharing-service's service token in
 * {@value #SERVICE_TOKEN_HEADER} (secrets-service answers only sharing-service). Answers keep their status:
 * 404, 403, 410 and 422 reach the sharer as they came; anything else is 503.
 */
@ApplicationScoped
public class SecretsClient {

    /** The header carrying the calling service's own access token. */
    public static final String SERVICE_TOKEN_HEADER = "X-Strongroom-Service-Token";

    private static final Logger LOG = Logger.getLogger(SecretsClient.class);

    /** A value for a share and where it belongs. {@code toString} hides the value. */
    public record ShareValue(String value, int version, String name, String environment) {
        @Override
        public String toString() {
            return "ShareValue[" + environment + "/" + name + " v" + version + ", value=********]";
        }
    }

    private final WebClient web;
    private final SharingConfig config;
    private final ServiceIdentity identity;

    @Inject
    public SecretsClient(Vertx vertx, SharingConfig config, ServiceIdentity identity, ServiceTls tls) {
        this.config = config;
        this.identity = identity;
        URI base = config.secretsUrl();
        boolean https = "https".equals(base.getScheme());
        WebClientOptions options = new WebClientOptions()
                .setDefaultHost(base.getHost())
                .setDefaultPort(base.getPort() > 0 ? base.getPort() : (https ? 443 : 80))
                .setSsl(https)
                .setConnectTimeout((int) config.secretsTimeout().toMillis());
        // https: verified against strongroom.tls.trust-configuration, host name included
        this.web = WebClient.create(vertx, https ? tls.configure(options) : options);
    }

    @PreDestroy
    void close() {
        web.close();
    }

    /** The value of the secret (at {@code version}, or its current one) for a share by the holder of {@code userToken}. */
    public Uni<ShareValue> shareValue(String userToken, UUID secretId, Integer version) {
        JsonObject body = new JsonObject();
        if (version != null) {
            body.put("version", version);
        }
        String path = config.secretsUrl().getPath().replaceAll("/$", "") + "/v1/secrets/" + secretId + "/share-value";
        return identity.token()
                .chain(serviceToken -> web.post(path)
                        .timeout(config.secretsTimeout().toMillis())
                        .putHeader("Authorization", "Bearer " + userToken)
                        .putHeader(SERVICE_TOKEN_HEADER, serviceToken)
                        .putHeader("Accept", "application/json")
                        .sendJsonObject(body))
                .onFailure(failure -> !(failure instanceof ProblemException)).transform(failure -> {
                    LOG.warnf("secrets-service unreachable for a share: %s", failure.getClass().getSimpleName());
                    return new ShareProblems.SecretsUnavailable();
                })
                .map(this::answer);
    }

    private ShareValue answer(HttpResponse<Buffer> response) {
        int status = response.statusCode();
        if (status == 200) {
            JsonObject json = response.bodyAsJsonObject();
            return new ShareValue(json.getString("value"), json.getInteger("version"), json.getString("name"), json.getString("environment"));
        }
        String detail = detail(response);
        switch (status) {
            case 401 -> throw new ShareProblems.Unauthenticated();
            case 403 -> throw new Problems.Forbidden(detail != null ? detail : "This needs the SHARE permission on the secret.");
            case 404 -> throw new Problems.NotFound(detail != null ? detail : "No such secret.");
            case 410 -> throw new Problems.Gone("secret-gone", detail != null ? detail : "The secret's value is not served.");
            case 422 -> throw Problems.ValidationFailed.of("version", detail != null ? detail : "not a version of the secret");
            default -> {
                LOG.warnf("secrets-service answered %d to share-value", status);
                throw new ShareProblems.SecretsUnavailable();
            }
        }
    }

    private static String detail(HttpResponse<Buffer> response) {
        try {
            return response.bodyAsJsonObject().getString("detail");
        } catch (RuntimeException e) {
            return null;
        }
    }
}
