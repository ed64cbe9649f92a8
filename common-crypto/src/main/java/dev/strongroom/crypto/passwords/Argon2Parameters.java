package dev.strongroom.crypto.passwords;

/**
 * Argon2id cost parameters. The defaults are OWASP's recommendation (m = 19 MiB, t = 2, p = 1) and
 * are the defaults of {@code strongroom.auth.password.argon2.*}.
 */
public record Argon2Parameters(int memoryKib, int iterations, int parallelism) {

    public static final String DEFAULT_MEMORY_KIB = "19456";
    public static final String DEFAULT_ITERATIONS = "2";
    public static final String DEFAULT_PARALLELISM = "1";

    public Argon2Parameters {
        if (memoryKib < 8 * parallelism || iterations < 1 || parallelism < 1) {
            throw new IllegalArgumentException("Argon2id needs memory >= 8 KiB per lane, iterations >= 1, parallelism >= 1");
        }
    }

    public static Argon2Parameters defaults() {
        return new Argon2Parameters(Integer.parseInt(DEFAULT_MEMORY_KIB), Integer.parseInt(DEFAULT_ITERATIONS),
                Integer.parseInt(DEFAULT_PARALLELISM));
    }
}
