package dev.strongroom.cli;

import java.net.URI;
import java.util.Map;

/**
 * Where each service listens. Per service {@code STRONGROOM_<SERVICE>_URL}; else {@code STRONGROOM_URL} (one
 * gateway routing by path); else {@code http://127.0.0.1:<STRONGROOM_<SERVICE>_PORT or its default>}, the
 * ports {@code ./strongroom up} uses. SERVICE is AUTH, SECRETS, SHARING, AUDIT or KEYS.
 */
public record Endpoints(URI auth, URI secrets, URI sharing, URI audit, URI keys) {

    public static Endpoints from(Map<String, String> env) {
        return new Endpoints(
                resolve(env, "AUTH", 8081),
                resolve(env, "SECRETS", 8082),
                resolve(env, "SHARING", 8083),
                resolve(env, "AUDIT", 8084),
                resolve(env, "KEYS", 8085));
    }

    static URI resolve(Map<String, String> env, String service, int defaultPort) {
        String url = blankToNull(env.get("STRONGROOM_" + service + "_URL"));
        if (url == null) {
            url = blankToNull(env.get("STRONGROOM_URL"));
        }
        if (url == null) {
            String port = blankToNull(env.get("STRONGROOM_" + service + "_PORT"));
            url = "http://127.0.0.1:" + (port == null ? Integer.toString(defaultPort) : port);
        }
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() == null || uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "the " + service.toLowerCase() + " service URL is not an http(s) URL: " + url);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
