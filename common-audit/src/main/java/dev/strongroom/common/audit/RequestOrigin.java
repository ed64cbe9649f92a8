package dev.strongroom.common.audit;

import jakarta.enterprise.context.RequestScoped;

/**
 * Where the current HTTP request came from (client address, user agent, request id), captured by
 * {@link RequestOriginFilter} so events recorded later in the request's pipeline carry them.
 */
@RequestScoped
public class RequestOrigin {

    private String ip;
    private String userAgent;
    private String requestId;
    private boolean captured;

    void capture(String clientIp, String clientUserAgent, String id) {
        this.ip = clientIp;
        this.userAgent = clientUserAgent;
        this.requestId = id;
        this.captured = true;
    }

    public boolean captured() {
        return captured;
    }

    public String ip() {
        return ip;
    }

    public String userAgent() {
        return userAgent;
    }

    public String requestId() {
        return requestId;
    }
}
