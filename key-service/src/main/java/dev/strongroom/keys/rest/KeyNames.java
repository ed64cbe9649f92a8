package dev.strongroom.keys.rest;

/** The rule for key names: 1-64 of [a-zA-Z0-9._-], not only dots (they would be path segments . and ..). */
final class KeyNames {

    static final String PATTERN = "(?!\\.+$)[a-zA-Z0-9._-]{1,64}";
    static final String MESSAGE = "must be 1-64 characters of [a-zA-Z0-9._-], not only dots";

    private KeyNames() {}
}
