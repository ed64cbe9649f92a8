package dev.strongroom.auth;

/** Values the test configuration (src/test/resources/application.properties) sets. */
final class AuthTestProfile {
    static final String ADMIN = "root-admin";
    static final String ADMIN_PASSWORD = "bootstrap admin passphrase 42";
    static final String SECRETS_SERVICE_SECRET = "secrets-service-test-secret-0123456789abcdef";

    private AuthTestProfile() {}
}
