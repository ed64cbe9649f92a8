package dev.strongroom.secrets;

import java.util.List;
import java.util.stream.IntStream;

/**
 * The caller's principals (itself and one per role) as a fixed number of query parameters
 * {@code :principal0 … :principal11}, padded by repeating the first. Callers with more principals
 * than slots are looked up in several rounds by the repository.
 */
public final class PrincipalSlots {

    public static final int SLOTS = 12;
    /** The slots as written in the named queries (a constant: annotations need one). */
    static final String PARAMETERS = ":principal0, :principal1, :principal2, :principal3, :principal4, :principal5, "
            + ":principal6, :principal7, :principal8, :principal9, :principal10, :principal11";

    private PrincipalSlots() {}

    /** Parameter name of slot {@code i}. */
    public static String name(int i) {
        return "principal" + i;
    }

    /** The principals split into groups of at most {@link #SLOTS}. */
    public static List<List<String>> groups(List<String> principals) {
        return IntStream.range(0, (principals.size() + SLOTS - 1) / SLOTS)
                .mapToObj(g -> principals.subList(g * SLOTS, Math.min(principals.size(), (g + 1) * SLOTS)))
                .toList();
    }

    /** The value of slot {@code i} for one group. */
    public static String value(List<String> group, int i) {
        return i < group.size() ? group.get(i) : group.get(0);
    }
}
