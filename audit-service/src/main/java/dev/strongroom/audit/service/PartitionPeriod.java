package dev.strongroom.audit.service;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/**
 * The length of audit_record's partitions ({@code strongroom.audit.partitions.period}). A partition is
 * named by its first day: {@code pYYYYMM} for a whole calendar month, {@code pYYYYMMDD} for any other
 * (a day, an ISO week named by its Monday, or a partial one after the period was changed). Names sort
 * as their ranges do: a month-named partition and a day-named one never share a month.
 */
public enum PartitionPeriod {

    MONTH(Duration.ofDays(31), 3),
    WEEK(Duration.ofDays(8), 3),
    DAY(Duration.ofDays(2), 14);

    private static final DateTimeFormatter MONTH_NAME = DateTimeFormatter.ofPattern("yyyyMM");
    private static final DateTimeFormatter DAY_NAME = DateTimeFormatter.ofPattern("yyyyMMdd");

    private final Duration minimumKeep;
    private final int defaultAhead;

    PartitionPeriod(Duration minimumKeep, int defaultAhead) {
        this.minimumKeep = minimumKeep;
        this.defaultAhead = defaultAhead;
    }

    /** The setting's value: month, week or day (any case); anything else is refused with a message naming the setting. */
    public static PartitionPeriod of(String value) {
        String period = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (period) {
            case "month" -> MONTH;
            case "week" -> WEEK;
            case "day" -> DAY;
            default -> throw new IllegalStateException("strongroom.audit.partitions.period must be month, week or day (found \""
                    + (period.length() > 20 ? period.substring(0, 20) + "…" : period) + "\")");
        };
    }

    /**
     * Retention keeps at least this much: the period plus a margin, so a partition is archived and dropped
     * only well after the last record could be stored into it (month 31 days, week 8 days, day 2 days).
     */
    public Duration minimumKeep() {
        return minimumKeep;
    }

    /** Partitions created ahead after the current one when {@code strongroom.audit.partitions.ahead} is unset (month: months-ahead). */
    int defaultAhead() {
        return defaultAhead;
    }

    /** The first day of the period {@code day} is in (the Monday of its ISO week for week). */
    public LocalDate start(LocalDate day) {
        return switch (this) {
            case MONTH -> day.withDayOfMonth(1);
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case DAY -> day;
        };
    }

    /** {@code count} periods after {@code start}. */
    public LocalDate plus(LocalDate start, long count) {
        return switch (this) {
            case MONTH -> start.plusMonths(count);
            case WEEK -> start.plusWeeks(count);
            case DAY -> start.plusDays(count);
        };
    }

    /** The first period boundary after {@code day}. */
    public LocalDate next(LocalDate day) {
        return plus(start(day), 1);
    }

    /** The name of a partition from {@code from} up to {@code until} (exclusive, both midnights). */
    public static String name(LocalDate from, LocalDate until) {
        boolean wholeMonth = from.getDayOfMonth() == 1 && until.equals(from.plusMonths(1));
        return "p" + (wholeMonth ? from.format(MONTH_NAME) : from.format(DAY_NAME));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
