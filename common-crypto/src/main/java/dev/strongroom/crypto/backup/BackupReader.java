package dev.strongroom.crypto.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import dev.strongroom.crypto.Tink;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Reads an archive {@link BackupWriter} wrote, in constant memory. Every read goes to the end: each segment is
 * authenticated, each part's length and SHA-256 must match the manifest, and nothing may follow the manifest.
 * Any difference is a {@link BackupIntegrityException}; parts copied out before it was found must be discarded,
 * so restore runs {@link #verify} first and only then {@link #extract}.
 */
public final class BackupReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BackupReader() {}

    /** Reads and checks the whole archive; returns its manifest. */
    public static BackupManifest verify(InputStream archive, BackupKeys.PrivateKey key) throws IOException {
        return read(archive, key, name -> null);
    }

    /** Copies part {@code name} to {@code out}, then checks the rest of the archive; returns the manifest. */
    public static BackupManifest extract(InputStream archive, BackupKeys.PrivateKey key, String name, OutputStream out)
            throws IOException {
        BackupManifest manifest = read(archive, key, part -> part.equals(name) ? out : null);
        if (manifest.part(name) == null) {
            throw new IOException("the archive has no part " + name);
        }
        return manifest;
    }

    /** Reads every entry; each part goes to {@code sinks.apply(name)} when that is not null. */
    private static BackupManifest read(InputStream archive, BackupKeys.PrivateKey key, Function<String, OutputStream> sinks)
            throws IOException {
        DataInputStream body = new DataInputStream(new BufferedInputStream(open(archive, key), BackupFormat.CHUNK));
        List<BackupManifest.Part> seen = new ArrayList<>();
        byte[] buffer = new byte[BackupFormat.CHUNK];
        try {
            while (true) {
                int type = body.read();
                if (type == BackupFormat.PART) {
                    seen.add(readPart(body, buffer, sinks));
                } else if (type == BackupFormat.MANIFEST) {
                    BackupManifest manifest = readManifest(body);
                    if (body.read() != -1) {
                        throw new BackupIntegrityException("the archive has data after its manifest");
                    }
                    check(manifest, seen);
                    return manifest;
                } else if (type == -1) {
                    throw new BackupIntegrityException("the archive ends without a manifest: it is incomplete (a backup that failed or was cut)");
                } else {
                    throw new BackupIntegrityException("the archive's content is not in the Strongroom backup format");
                }
            }
        } catch (EOFException e) {
            throw new BackupIntegrityException("the archive is truncated", e);
        } catch (BackupIntegrityException e) {
            throw e;
        } catch (IOException e) {
            // Tink's decrypting stream reports a segment that fails authentication as an IOException.
            throw new BackupIntegrityException("the archive was altered or damaged (" + e.getMessage() + "); do not restore it", e);
        }
    }

    private static InputStream open(InputStream archive, BackupKeys.PrivateKey key) throws IOException {
        Tink.init();
        DataInputStream in = new DataInputStream(archive);
        byte[] magic = new byte[BackupFormat.MAGIC.length];
        try {
            in.readFully(magic);
            if (!Arrays.equals(magic, BackupFormat.MAGIC)) {
                throw new BackupIntegrityException("not a Strongroom backup archive");
            }
            int version = in.readUnsignedByte();
            if (version != BackupFormat.VERSION) {
                throw new BackupIntegrityException("archive format version " + version + " is not supported (this tool reads "
                        + BackupFormat.VERSION + ")");
            }
            long keyId = Integer.toUnsignedLong(in.readInt());
            byte[] wrapped = new byte[in.readUnsignedShort()];
            in.readFully(wrapped);
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(header);
            out.write(magic);
            out.writeByte(version);
            out.writeInt((int) keyId);
            out.writeShort(wrapped.length);
            out.write(wrapped);
            KeysetHandle dataKey;
            try {
                dataKey = TinkProtoKeysetFormat.parseKeyset(key.decrypt().decrypt(wrapped, BackupFormat.CONTEXT),
                        InsecureSecretKeyAccess.get());
            } catch (GeneralSecurityException e) {
                throw new BackupIntegrityException("the archive (sealed to backup key " + keyId + ") does not open with the given key "
                        + key.keyId() + ": another backup key, or the archive's header was altered");
            }
            StreamingAead aead = dataKey.getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
            return aead.newDecryptingStream(archive, header.toByteArray());
        } catch (EOFException e) {
            throw new BackupIntegrityException("the archive is truncated inside its header", e);
        } catch (GeneralSecurityException e) {
            throw new BackupIntegrityException("the archive's data key is not a streaming AEAD key", e);
        }
    }

    private static BackupManifest.Part readPart(DataInputStream body, byte[] buffer, Function<String, OutputStream> sinks)
            throws IOException {
        byte[] nameBytes = new byte[body.readUnsignedShort()];
        body.readFully(nameBytes);
        String name = new String(nameBytes, StandardCharsets.US_ASCII);
        OutputStream sink = sinks.apply(name);
        MessageDigest sha256 = sha256();
        long total = 0;
        while (true) {
            int length = body.readInt();
            if (length == 0) {
                break;
            }
            if (length < 0 || length > BackupFormat.CHUNK) {
                throw new BackupIntegrityException("part " + name + " has a malformed chunk");
            }
            body.readFully(buffer, 0, length);
            sha256.update(buffer, 0, length);
            total += length;
            if (sink != null) {
                sink.write(buffer, 0, length);
            }
        }
        if (sink != null) {
            sink.flush();
        }
        return new BackupManifest.Part(name, total, BackupFormat.hex(sha256.digest()), null);
    }

    private static BackupManifest readManifest(DataInputStream body) throws IOException {
        int length = body.readInt();
        if (length <= 0 || length > BackupFormat.MAX_MANIFEST) {
            throw new BackupIntegrityException("the archive's manifest is malformed");
        }
        byte[] json = new byte[length];
        body.readFully(json);
        try {
            return JSON.readValue(json, BackupManifest.class);
        } catch (IOException e) {
            throw new BackupIntegrityException("the archive's manifest is not readable");
        }
    }

    private static void check(BackupManifest manifest, List<BackupManifest.Part> seen) throws BackupIntegrityException {
        if (!BackupManifest.FORMAT.equals(manifest.format()) || manifest.parts() == null) {
            throw new BackupIntegrityException("the manifest's format " + manifest.format() + " is not " + BackupManifest.FORMAT);
        }
        if (manifest.parts().size() != seen.size()) {
            throw new BackupIntegrityException("the manifest lists " + manifest.parts().size() + " part(s), the archive holds " + seen.size());
        }
        for (int i = 0; i < seen.size(); i++) {
            BackupManifest.Part listed = manifest.parts().get(i);
            BackupManifest.Part found = seen.get(i);
            if (!Objects.equals(listed.name(), found.name()) || listed.bytes() != found.bytes()
                    || !Objects.equals(listed.sha256(), found.sha256())) {
                throw new BackupIntegrityException("part " + found.name() + " does not match the manifest (size or SHA-256)");
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
