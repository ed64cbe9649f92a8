package dev.strongroom.auth.rest;

import jakarta.validation.constraints.Size;

/** {@code POST /v1/auth/mfa/totp}: the account's current password, required to start an enrolment. */
public record EnrolmentRequest(@Size(max = 1024) String password) {

    @Override
    public String toString() {
        return "EnrolmentRequest[********]";
    }
}
