package dev.strongroom.auth.service;

import dev.strongroom.auth.config.AuthConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * The RSA keys auth-service signs access tokens with (RS256), loaded from {@code strongroom.auth.signing.key-files}.
 * Every key is published in the JWKS, so a new key can be added (published) before it becomes active and an
 * old one kept until the last token it signed has expired: rotation logs nobody out. Private keys never leave
 * this class.
 */
@Singleton
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);

    private final List<RsaJsonWebKey> keys;
    private final RsaJsonWebKey active;
    private final String publicJwks;

    @Inject
    SigningKeys(AuthConfig config) {
        this(load(config.signing()), config.signing().activeKid().orElse(null));
    }

    SigningKeys(List<RsaJsonWebKey> keys, String activeKid) {
        if (keys.isEmpty()) {
            throw new IllegalStateException("No signing keys: set strongroom.auth.signing.key-files (see docs/auth.md)");
        }
        this.keys = List.copyOf(keys);
        this.active = activeKid == null ? keys.getFirst()
                : keys.stream().filter(k -> activeKid.equals(k.getKeyId())).findFirst().orElseThrow(() ->
                        new IllegalStateException("strongroom.auth.signing.active-kid " + activeKid + " is not among the loaded keys"));
        List<JsonWebKey> publics = new ArrayList<>();
        for (RsaJsonWebKey key : keys) {
            try {
                RsaJsonWebKey pub = (RsaJsonWebKey) PublicJsonWebKey.Factory.newPublicJwk(key.getRsaPublicKey());
                pub.setKeyId(key.getKeyId());
                pub.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
                pub.setUse("sig");
                publics.add(pub);
            } catch (JoseException e) {
                throw new IllegalStateException(e);
            }
        }
        this.publicJwks = new JsonWebKeySet(publics).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        LOG.infof("Signing access tokens with kid %s; JWKS publishes %d key(s)", active.getKeyId(), keys.size());
    }

    /** The JWKS document (public halves only). */
    public String publicJwks() {
        return publicJwks;
    }

    public String activeKid() {
        return active.getKeyId();
    }

    /** RS256 compact JWS of the claims, with the active key's kid in the header. */
    public String sign(JwtClaims claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(active.getPrivateKey());
        jws.setKeyIdHeaderValue(active.getKeyId());
        jws.setHeader("typ", "JWT");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("Signing failed", e);
        }
    }

    static List<RsaJsonWebKey> load(AuthConfig.Signing signing) {
        List<String> files = signing.keyFiles().orElse(List.of());
        if (files.isEmpty()) {
            throw new IllegalStateException("No signing keys: set strongroom.auth.signing.key-files to a JWK set or PEM file"
                    + " (or add strongroom.auth.signing.generate-missing=true for a local stack), see docs/auth.md");
        }
        Path first = Path.of(files.getFirst());
        if (signing.generateMissing() && !Files.exists(first)) {
            generate(first);
        }
        List<RsaJsonWebKey> keys = new ArrayList<>();
        for (String file : files) {
            keys.addAll(read(Path.of(file)));
        }
        return keys;
    }

    /** A fresh 2048-bit RSA JWK set written with owner-only permissions. */
    static void generate(Path file) {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId("sr-" + UUID.randomUUID().toString().substring(0, 8));
            key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            key.setUse("sig");
            String json = new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE);
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, json, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            LOG.infof("Generated signing key %s into %s", key.getKeyId(), file);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the generated signing key to " + file, e);
        }
    }

    static List<RsaJsonWebKey> read(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (text.contains("-----BEGIN")) {
                return List.of(fromPem(text));
            }
            List<RsaJsonWebKey> keys = new ArrayList<>();
            for (JsonWebKey jwk : new JsonWebKeySet(text).getJsonWebKeys()) {
                if (jwk instanceof RsaJsonWebKey rsa && rsa.getPrivateKey() != null) {
                    if (rsa.getKeyId() == null) {
                        rsa.setKeyId(rsa.calculateBase64urlEncodedThumbprint("SHA-256"));
                    }
                    keys.add(rsa);
                } else {
                    throw new IllegalStateException("Signing key file " + file + " holds a key that is not a private RSA key");
                }
            }
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read signing key file " + file, e);
        } catch (JoseException e) {
            throw new IllegalStateException("Signing key file " + file + " is not a valid JWK set", e);
        }
    }

    /** A PKCS#8 PEM RSA private key ({@code openssl genpkey -algorithm RSA}); kid = its RFC 7638 thumbprint. */
    static RsaJsonWebKey fromPem(String pem) {
        try {
            String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            KeyFactory factory = KeyFactory.getInstance("RSA");
            PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            RSAPrivateCrtKey crt = (RSAPrivateCrtKey) privateKey;
            var publicKey = (java.security.interfaces.RSAPublicKey) factory.generatePublic(
                    new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
            RsaJsonWebKey jwk = new RsaJsonWebKey(publicKey);
            jwk.setPrivateKey(privateKey);
            jwk.setKeyId(jwk.calculateBase64urlEncodedThumbprint("SHA-256"));
            jwk.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            jwk.setUse("sig");
            return jwk;
        } catch (Exception e) {
            throw new IllegalStateException("Not a PKCS#8 PEM RSA private key (convert with openssl pkcs8 -topk8 -nocrypt)", e);
        }
    }

    /** Metadata of the loaded keys, for logs and tests: kid → active. */
    public Map<String, Boolean> describe() {
        Map<String, Boolean> out = new LinkedHashMap<>();
        keys.forEach(k -> out.put(k.getKeyId(), k == active));
        return out;
    }
}
