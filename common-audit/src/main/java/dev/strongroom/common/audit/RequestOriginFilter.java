package dev.strongroom.common.audit;

import dev.strongroom.common.web.ClientAddresses;
import dev.strongroom.common.web.RequestIds;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Records each request's origin for audit events; X-Forwarded-For counts only from trusted proxies. */
public class RequestOriginFilter {

    private final ClientAddresses addresses;

    @Inject
    RequestOrigin origin;

    @Inject
    RequestOriginFilter(AuditConfig config) {
        this.addresses = new ClientAddresses(config.trustedProxies().orElse(List.of()));
    }

    @ServerRequestFilter
    public void capture(ContainerRequestContext context, HttpServerRequest request) {
        SocketAddress peer = request.remoteAddress();
        String peerIp = peer == null ? null : peer.hostAddress();
        origin.capture(addresses.resolve(peerIp, request.getHeader("X-Forwarded-For")),
                request.getHeader("User-Agent"), RequestIds.of(context));
    }
}
