package dev.strongroom.auth.service;

/** A signed access token with its lifetime, and (for user sessions) the new refresh token. */
public record AuthTokens(String accessToken, long expiresIn, String refreshToken) {

    @Override
    public String toString() {
        return "AuthTokens[expiresIn=" + expiresIn + "]";
    }
}
