package dev.strongroom.sharing.rest;

/** The value of a revealed share. {@code toString} hides it. */
public record RevealResponse(String value, int viewsLeft) {
    @Override
    public String toString() {
        return "RevealResponse[value=********, viewsLeft=" + viewsLeft + "]";
    }
}
