package dev.strongroom.cli;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opens a share link's ciphertext on the client, as docs/sharing.md specifies: AES-256-GCM, the 32-byte key from
 * the link's fragment (base64url, no padding), ciphertext = base64 of nonce (12) ‖ encrypted value ‖ tag (16),
 * associated data = UTF-8 of {@code strongroom-share-v1:<share id>}. The key never leaves this process.
 */
final class ShareOpener {

    static final String AD_PREFIX = "strongroom-share-v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{16,128}");

    /** A share link taken apart: where to open it, its token and key. {@code toString} hides the key. */
    record Link(URI base, String token, byte[] key) {
        @Override
        public String toString() {
            return "Link[" + base + "/s/" + token.substring(0, 4) + "…]";
        }
    }

    private ShareOpener() {}

    /** {@code <base>/s/<token>#<key>}; the base is where {@code POST /v1/shares/<token>/open} goes. */
    static Link parse(String url) {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "not a share link (<base>/s/<token>#<key>)");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        int s = path.lastIndexOf("/s/");
        if (uri.getScheme() == null || uri.getHost() == null || s < 0) {
            throw new CliException(ExitCodes.USAGE, "not a share link (<base>/s/<token>#<key>)");
        }
        String token = path.substring(s + 3);
        if (!TOKEN.matcher(token).matches()) {
            throw new CliException(ExitCodes.USAGE, "the share link's token is malformed");
        }
        byte[] key = decodeKey(uri.getRawFragment());
        if (key == null) {
            throw new CliException(ExitCodes.USAGE, "the share link has no valid key after '#' (was it cut off?)");
        }
        URI base = URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + path.substring(0, s));
        return new Link(base, token, key);
    }

    static byte[] decodeKey(String fragment) {
        if (fragment == null || fragment.length() < 43 || fragment.length() > 44) {
            return null;
        }
        try {
            byte[] key = Base64.getUrlDecoder().decode(fragment.endsWith("=") ? fragment.substring(0, 43) : fragment);
            return key.length == 32 ? key : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The value; a clear failure when the key, the share id or the ciphertext do not match. */
    static String open(byte[] key, String shareId, String ciphertextBase64) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(ciphertextBase64);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.ERROR, "the share's ciphertext is not base64");
        }
        if (raw.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new CliException(ExitCodes.ERROR, "the share's ciphertext is too short");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, raw, 0, NONCE_BYTES));
            cipher.updateAAD((AD_PREFIX + shareId.toLowerCase()).getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(Arrays.copyOfRange(raw, NONCE_BYTES, raw.length));
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new CliException(ExitCodes.ERROR, "the share does not open with the link's key (a wrong or altered link)");
        }
    }
}
