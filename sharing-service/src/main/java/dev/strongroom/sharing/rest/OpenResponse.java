package dev.strongroom.sharing.rest;

/** The ciphertext of an opened share (docs/sharing.md, ciphertext format) and its id, the associated data. */
public record OpenResponse(String id, String ciphertext, int viewsLeft) {
    @Override
    public String toString() {
        return "OpenResponse[" + id + ", viewsLeft=" + viewsLeft + "]";
    }
}
