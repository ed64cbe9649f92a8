package dev.strongroom.crypto.client;

/** No service token could be obtained; the message names the client, never its secret. */
public class ServiceCredentialsException extends RuntimeException {
    public ServiceCredentialsException(String message) {
        super(message, null, false, false);
    }
}
