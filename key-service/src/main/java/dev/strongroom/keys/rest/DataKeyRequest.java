package dev.strongroom.keys.rest;

/** {@code datakey}: optional base64 context bound to the data key's ciphertext. */
public record DataKeyRequest(String context) {}
