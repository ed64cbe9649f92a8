package dev.strongroom.auth.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Tokens after login, refresh or workload login (the latter without a refresh token). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenPairResponse(String accessToken, String tokenType, long expiresIn, String refreshToken) {

    @Override
    public String toString() {
        return "TokenPairResponse[expiresIn=" + expiresIn + "]";
    }
}
