package dev.strongroom.secrets;

import java.util.Map;

/** What to list of the secrets a caller may see. Null fields do not filter. */
public record SecretFilter(String environment, String namePrefix, String type, Map<String, String> tags, boolean deleted) {}
