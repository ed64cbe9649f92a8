package dev.strongroom.secrets.access;

import dev.strongroom.secrets.config.SecretsConfig;
import dev.strongroom.security.Caller;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Who may take a name in an environment (create a secret there). An environment listed in
 * {@code strongroom.secrets.creators} is protected: admins and its listed principals (the caller itself or one of
 * its roles, as in grants) may create; everyone else is refused before the name is looked up, so the answer says
 * nothing about which names exist. Unlisted environments are open to every authenticated caller.
 */
@ApplicationScoped
@Startup
public class EnvironmentPolicy {

    private static final Pattern PRINCIPAL = Pattern.compile("(user|role|service|workload):[^\\s,]+");

    @Inject
    SecretsConfig config;

    /** A creators entry for an unknown environment or a malformed principal stops the service at start-up. */
    @PostConstruct
    void check() {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<String>> entry : config.creators().entrySet()) {
            if (!config.environments().contains(entry.getKey())) {
                problems.add("strongroom.secrets.creators." + entry.getKey() + ": not one of strongroom.secrets.environments "
                        + config.environments());
            }
            for (String principal : entry.getValue()) {
                if (!PRINCIPAL.matcher(principal).matches()) {
                    problems.add("strongroom.secrets.creators." + entry.getKey() + ": '" + principal
                            + "' is not user:<name>, role:<role>, service:<name> or workload:<namespace>/<account>");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems));
        }
    }

    /** Whether the environment has a creators entry. */
    public boolean isProtected(String environment) {
        return config.creators().containsKey(environment);
    }

    /** Whether the caller may create secrets in the environment. */
    public boolean mayCreate(Caller caller, String environment) {
        List<String> creators = config.creators().get(environment);
        if (creators == null || caller.hasRole(Access.ADMIN_ROLE)) {
            return true;
        }
        return Access.principalsOf(caller).stream().anyMatch(creators::contains);
    }
}
