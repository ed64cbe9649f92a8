package dev.strongroom.keys.rest;

/** The answer of encrypt and rewrap: base64 ciphertext and the key version that made it. */
public record CiphertextResponse(String ciphertext, int keyVersion) {}
