package dev.strongroom.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * CPU time of local processes from {@code /proc/<pid>/stat}, for benchmarks: on a shared machine
 * the CPU a stage cost per event stays meaningful when its wall-clock rate does not.
 */
public final class ProcessCpu {

    private ProcessCpu() {}

    /** User plus system CPU time of a process in milliseconds, or -1 when it cannot be read. */
    public static long millis(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * 10; // USER_HZ is 100 on Linux
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * CPU milliseconds per thread of a process, threads grouped by name with digits blanked
     * ("GC Thread#0" and "GC Thread#1" count as one), from {@code /proc/<pid>/task}.
     */
    public static Map<String, Long> byThread(long pid) {
        Map<String, Long> threads = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            tasks.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "#");
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    threads.merge(name, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10, Long::sum);
                } catch (Exception e) {
                    // the thread ended meanwhile
                }
            });
        } catch (Exception e) {
            return Map.of();
        }
        return threads;
    }

    /** The thread groups that used the most CPU between two {@link #byThread} readings, as "name ms" items. */
    public static String topThreads(Map<String, Long> before, Map<String, Long> after, int limit) {
        return after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(limit)
                .map(e -> e.getKey() + " " + e.getValue() + " ms")
                .collect(Collectors.joining(", "));
    }

    /** This JVM. */
    public static long self() {
        return millis(ProcessHandle.current().pid());
    }

    /** The local MariaDB server's pid, or -1 when it does not run on this machine. */
    public static long mariadbPid() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/mariadbd") || c.endsWith("/mysqld")).orElse(false))
                .mapToLong(ProcessHandle::pid)
                .findFirst()
                .orElse(-1);
    }

    /** Milliseconds of CPU per {@code count} units between two readings, or "?" when either is missing. */
    public static String per(long before, long after, long count, double unit) {
        return before < 0 || after < 0 || count == 0 ? "?" : String.format(Locale.ROOT, "%.2f", (after - before) * unit / count);
    }
}
