package dev.strongroom.secrets;

/** Where the previous page of a listing stopped: the last secret's environment and name. */
public record ListPosition(String environment, String name) {}
