package dev.strongroom.audit.service;

import dev.strongroom.audit.config.AlertConfig;
import dev.strongroom.common.audit.AuditConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The configured alert rules as a bean. */
@ApplicationScoped
public class AlertRulesProducer {

    @Produces
    @Singleton
    AlertRules alertRules(AlertConfig config, AuditConfig auditConfig) {
        return new AlertRules(config, auditConfig.source());
    }
}
