package dev.strongroom.keys.service;

import dev.strongroom.keys.Key;
import dev.strongroom.keys.KeyVersion;
import java.util.List;

/** A key and its versions, as management operations return them (metadata only). */
public record KeyDetails(Key key, List<KeyVersion> versions) {}
