package dev.strongroom.auth.service;

import java.util.Set;

/**
 * A session's new refresh token and what its access token must carry; the access token is signed after commit.
 */
public record Issued(String userId, String username, Set<String> roles, String sessionId, String refreshToken) {

    @Override
    public String toString() {
        return "Issued[" + username + ", session=" + sessionId + "]";
    }
}
