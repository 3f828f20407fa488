package com.example.subscriptions.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * CPU time and memory of processes and of the machine, from Linux's /proc. Elsewhere every figure is absent rather
 * than wrong.
 */
final class ProcStats {

    /** USER_HZ: the unit of /proc's CPU times; 100 on every Linux this runs on (getconf CLK_TCK). */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcStats() {}

    static boolean available() {
        return Files.isReadable(Path.of("/proc/self/stat"));
    }

    /** User plus system CPU seconds the process has used so far. */
    static double cpuSeconds(long pid) {
        return ticks(Path.of("/proc", Long.toString(pid), "stat")) / TICKS_PER_SECOND;
    }

    /** Peak resident set size (VmHWM), in MiB. */
    static OptionalLong peakRssMiB(long pid) {
        return statusKb(pid, "VmHWM:").stream().map(kb -> kb / 1024).findFirst();
    }

    static OptionalLong rssMiB(long pid) {
        return statusKb(pid, "VmRSS:").stream().map(kb -> kb / 1024).findFirst();
    }

    /**
     * CPU seconds per thread group of a process: thread names (as the kernel keeps them, 15 characters) with their
     * numbers replaced by {@code #}, so the 64 threads of a pool count as one line.
     */
    static Map<String, Double> threadCpuSeconds(long pid) {
        Map<String, Double> groups = new HashMap<>();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : threads.toList()) {
                try {
                    String name =
                            Files.readString(thread.resolve("comm")).strip().replaceAll("[0-9]+", "#");
                    groups.merge(name, ticks(thread.resolve("stat")) / TICKS_PER_SECOND, Double::sum);
                } catch (IOException | RuntimeException gone) {
                    // The thread ended meanwhile.
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return groups;
    }

    /**
     * CPU seconds the JIT compiler threads of a process used so far: work done once per process start, which a
     * comparison of per-request costs leaves out on both sides.
     */
    static double jitSeconds(long pid) {
        return threadCpuSeconds(pid).entrySet().stream()
                .filter(e -> e.getKey().contains("CompilerThre"))
                .mapToDouble(Map.Entry::getValue)
                .sum();
    }

    /** What each thread group used between two snapshots, largest first, the rest summed as "other". */
    static Map<String, Double> topDelta(Map<String, Double> before, Map<String, Double> after, int top) {
        Map<String, Double> delta = new HashMap<>();
        after.forEach((name, seconds) -> {
            double d = seconds - before.getOrDefault(name, 0.0);
            if (d > 0.0) {
                delta.put(name, d);
            }
        });
        List<Map.Entry<String, Double>> sorted = delta.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .toList();
        Map<String, Double> result = new LinkedHashMap<>();
        double other = 0;
        for (int i = 0; i < sorted.size(); i++) {
            if (i < top) {
                result.put(sorted.get(i).getKey(), RunResult.round(sorted.get(i).getValue()));
            } else {
                other += sorted.get(i).getValue();
            }
        }
        if (other > 0) {
            result.put("(other threads)", RunResult.round(other));
        }
        return result;
    }

    /** The 1, 5 and 15 minute load averages, as /proc/loadavg has them ("" elsewhere). */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** Busy CPU seconds of the whole machine (all cores, all processes) since boot. */
    static double machineBusySeconds() {
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = cpu.trim().split("\\s+");
            long busy = 0;
            // user nice system idle iowait irq softirq steal ...; idle (4) and iowait (5) are not busy.
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static long ticks(Path stat) {
        try {
            String text = Files.readString(stat);
            // The name in parentheses may hold spaces: count fields after its closing parenthesis.
            String[] f = text.substring(text.lastIndexOf(')') + 2).trim().split("\\s+");
            // After the name: state(3) ... utime(14) stime(15), so indexes 11 and 12 here.
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static OptionalLong statusKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return OptionalLong.of(
                            Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]));
                }
            }
        } catch (IOException | RuntimeException e) {
            // absent
        }
        return OptionalLong.empty();
    }
}
