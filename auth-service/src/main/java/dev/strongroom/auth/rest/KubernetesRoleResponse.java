package dev.strongroom.auth.rest;

import java.time.Instant;
import java.util.Set;

public record KubernetesRoleResponse(String id, String name, Set<String> boundNamespaces, Set<String> boundServiceAccounts, String audience,
        Set<String> roles, Instant createdAt) {}
