package dev.strongroom.secrets.rest;

import dev.strongroom.secrets.GeneratorSpec;

/** A rotation schedule: every {@code intervalDays}, a value from {@code generator} (default: a 32-character password). */
public record RotationRequest(Integer intervalDays, GeneratorSpec generator) {}
