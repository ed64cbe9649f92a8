package dev.strongroom.keys.service;

import dev.strongroom.common.problem.ProblemException;
import dev.strongroom.common.problem.Problems;

/** key-service's own problems; the shared ones come from {@link Problems}. */
public final class KeyProblems {

    private KeyProblems() {}

    public static Problems.NotFound keyNotFound(String name) {
        return new Problems.NotFound("There is no key named " + name + ".");
    }

    public static Problems.Conflict keyExists(String name) {
        return new Problems.Conflict("key-exists", "A key named " + name + " already exists.");
    }

    /** 400: the ciphertext was altered, belongs to another key, or the context differs. */
    public static class DecryptionFailed extends ProblemException {
        public DecryptionFailed() {
            super(400, "decryption-failed", "Decryption failed",
                    "The ciphertext does not open with this key and context: it was altered, made by another key, or the context differs.");
        }
    }

    /** 400: the ciphertext's key version is below the key's minimum decryption version. */
    public static class KeyVersionRefused extends ProblemException {
        public KeyVersionRefused(int version, int minimum) {
            super(400, "key-version-refused", "Key version refused",
                    "The ciphertext was made with key version " + version + ", below this key's minimum decryption version "
                            + minimum + ".");
        }
    }
}
