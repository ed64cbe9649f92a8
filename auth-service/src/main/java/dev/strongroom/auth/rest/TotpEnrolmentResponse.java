package dev.strongroom.auth.rest;

/** The new TOTP secret (base32), its otpauth:// URI and that URI as a base64 QR-code PNG. */
public record TotpEnrolmentResponse(String secret, String otpauthUri, String qrPng) {

    @Override
    public String toString() {
        return "TotpEnrolmentResponse[********]";
    }
}
