package dev.strongroom.sharing.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The public share page {@code GET /s/{token}}: the same static HTML for every token, so loading it (a link preview,
 * a crawler) consumes nothing and tells nothing. Its script (a served file, no inline code) opens the share only
 * when Reveal is pressed and decrypts in the browser. No external resources; headers keep it out of caches,
 * referrers, search indexes and frames.
 */
@Path("/s")
@PermitAll
public class SharePageResource {

    /** Only this origin's script, style and fetches; nothing inline, no frames, no forms elsewhere. */
    public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self';"
            + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final byte[] PAGE = load();

    @GET
    @Path("/{token}")
    @Produces(MediaType.TEXT_HTML)
    public Response page(@PathParam("token") String token) {
        return Response.ok(PAGE, MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache")
                .header("Referrer-Policy", "no-referrer")
                .header("X-Robots-Tag", "noindex, nofollow")
                .header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .build();
    }

    private static byte[] load() {
        try (InputStream in = SharePageResource.class.getResourceAsStream("/share/page.html")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
