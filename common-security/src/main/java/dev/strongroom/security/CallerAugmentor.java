package dev.strongroom.security;

import dev.strongroom.security.issuers.IssuersConfig;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Turns every verified token into a {@link Caller}, kept as an identity attribute for {@link CurrentCaller}.
 * Strongroom's own tokens (quarkus-oidc's default tenant) say who they are in their claims. A gateway identity
 * provider's tokens (any named tenant) become users whose name and id carry {@code @<tenant>} and whose roles
 * are the issuer's roles renamed and limited by {@code strongroom.security.issuers.<tenant>.*}; a token without
 * a usable name is refused. Runs last, so the limited roles are the ones {@code @RolesAllowed} sees.
 */
@ApplicationScoped
public class CallerAugmentor implements SecurityIdentityAugmentor {

    /** The identity attribute holding the {@link Caller}. */
    public static final String ATTRIBUTE = Caller.class.getName();
    /** Where quarkus-oidc names the tenant that verified the token (OidcUtils.TENANT_ID_ATTRIBUTE). */
    public static final String TENANT_ATTRIBUTE = "tenant-id";
    /** quarkus-oidc's default tenant: Strongroom's own tokens (OidcUtils.DEFAULT_TENANT_ID). */
    public static final String STRONGROOM_TENANT = "Default";

    private static final Logger LOG = Logger.getLogger(CallerAugmentor.class);
    /** Names that are valid grant principals ({@code user:<name>}) and cannot be mistaken for anything else. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,128}");

    private final IssuersConfig issuers;
    private final Map<String, Map<String, List<String>>> roleMaps = new HashMap<>();

    @Inject
    CallerAugmentor(IssuersConfig issuers) {
        this.issuers = issuers;
        issuers.tenants().forEach((tenant, config) -> roleMaps.put(tenant, parse(tenant, config.roleMap().orElse(List.of()))));
    }

    @Override
    public int priority() {
        return Integer.MIN_VALUE;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        String tenant = identity.getAttribute(TENANT_ATTRIBUTE);
        if (tenant == null || STRONGROOM_TENANT.equals(tenant)) {
            Caller caller = new Caller(jwt.getSubject(), jwt.getName(),
                    Caller.PrincipalType.fromClaim(TokenClaims.string(jwt, Caller.TYPE_CLAIM)),
                    Set.copyOf(identity.getRoles()), TokenClaims.string(jwt, "sid"));
            return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity).addAttribute(ATTRIBUTE, caller).build());
        }
        Caller caller = external(tenant, jwt, identity.getRoles());
        if (caller == null) {
            return Uni.createFrom().failure(new AuthenticationFailedException("unusable caller name"));
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(jwt)
                .addCredentials(identity.getCredentials())
                .addAttributes(identity.getAttributes())
                .addRoles(caller.roles())
                .addAttribute(ATTRIBUTE, caller)
                .build());
    }

    /** The caller of a gateway issuer's token, or null when its name cannot be used. */
    Caller external(String tenant, JsonWebToken jwt, Set<String> issuerRoles) {
        IssuersConfig.Issuer config = issuers.tenants().get(tenant);
        String suffix = config.qualifyNames() ? "@" + tenant : "";
        String name = jwt.getName();
        if (name == null || !NAME.matcher(name + suffix).matches()) {
            LOG.infof("Refused a token of issuer tenant '%s': its name claim is missing or not 1-128 of [A-Za-z0-9._@-]", tenant);
            return null;
        }
        String subject = jwt.getSubject() != null ? jwt.getSubject() : name;
        return new Caller(subject + suffix, name + suffix, Caller.PrincipalType.USER, roles(tenant, config, issuerRoles), null);
    }

    private Set<String> roles(String tenant, IssuersConfig.Issuer config, Set<String> issuerRoles) {
        Set<String> roles = new LinkedHashSet<>();
        if (config.roleMap().isEmpty()) {
            roles.addAll(issuerRoles);
        } else {
            Map<String, List<String>> map = roleMaps.getOrDefault(tenant, Map.of());
            for (String role : issuerRoles) {
                roles.addAll(map.getOrDefault(role, List.of()));
            }
        }
        roles.retainAll(config.allowedRoles());
        return Set.copyOf(roles);
    }

    /** {@code a=x, a=y, b=z} → {a: [x, y], b: [z]}; start-up fails on an entry that is not {@code <role>=<role>}. */
    static Map<String, List<String>> parse(String tenant, List<String> entries) {
        Map<String, List<String>> map = new HashMap<>();
        for (String entry : entries) {
            int eq = entry.lastIndexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalStateException("strongroom.security.issuers." + tenant
                        + ".role-map entries must look like <issuer role>=<Strongroom role>, not '" + entry + "'");
            }
            map.computeIfAbsent(entry.substring(0, eq).trim(), k -> new ArrayList<>()).add(entry.substring(eq + 1).trim());
        }
        return map;
    }
}
