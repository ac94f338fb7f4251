package dev.tollgate.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a Tollgate process spent its CPU during the measured windows, from the execution samples of a JFR
 * recording. Each sample is
 * charged to a layer: the first frame from the top of the stack that belongs to a known library or to
 * Tollgate, so that JDK code (a HashMap lookup, a socket write) counts for whoever called it.
 */
record ProfileSummary(String server, String recording, long samples, List<Share> layers, List<Share> topFrames,
        List<Share> tollgateInclusive, long gcCount, double gcPauseMillis, List<Share> exceptions,
        List<Share> allocationsByClass, double allocatedMegabytes) {

    private static final int TOP_MAX = 15;

    /** A name and how many samples (or exceptions, or allocated bytes) it got, with their share of the total. */
    record Share(String name, long samples, double percent) {}

    /** Class-name prefixes and the layer they belong to, most specific first. */
    private static final List<Map.Entry<String, String>> LAYERS = List.of(
            Map.entry("org.postgresql.", "pgjdbc (JDBC driver)"),
            Map.entry("com.zaxxer.hikari.", "HikariCP (connection pool)"),
            Map.entry("tools.jackson.", "Jackson (JSON)"),
            Map.entry("com.fasterxml.jackson.", "Jackson (JSON)"),
            Map.entry("org.springframework.security.", "Spring Security"),
            Map.entry("org.springframework.jdbc.", "Spring JDBC and transactions"),
            Map.entry("org.springframework.transaction.", "Spring JDBC and transactions"),
            Map.entry("org.springframework.web.", "Spring MVC"),
            Map.entry("org.springframework.http.", "Spring MVC"),
            Map.entry("org.springframework.validation.", "Spring MVC"),
            Map.entry("org.hibernate.validator.", "Bean Validation"),
            Map.entry("org.apache.catalina.", "Tomcat"),
            Map.entry("org.apache.coyote.", "Tomcat"),
            Map.entry("org.apache.tomcat.", "Tomcat"),
            Map.entry("io.micrometer.", "Micrometer (metrics, observations)"),
            Map.entry("org.slf4j.", "Logging"),
            Map.entry("ch.qos.logback.", "Logging"),
            Map.entry("dev.tollgate.", "Tollgate code"),
            Map.entry("org.springframework.", "Spring (other)"));

    /** Summarizes the samples taken inside the given windows: the measured load, not startup or setup. */
    static ProfileSummary read(String server, Path recording, List<Load.Window> windows) throws IOException {
        var layers = new HashMap<String, Long>();
        var topFrames = new HashMap<String, Long>();
        var inclusive = new HashMap<String, Long>();
        var exceptions = new HashMap<String, Long>();
        var allocations = new HashMap<String, Long>();
        long exceptionCount = 0;
        long allocatedBytes = 0;
        long samples = 0;
        long gcCount = 0;
        double gcPauseMillis = 0;
        try (var file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                if (windows.stream().noneMatch(window -> window.contains(event.getStartTime()))) {
                    continue;
                }
                String type = event.getEventType().getName();
                if (type.equals("jdk.GarbageCollection")) {
                    gcCount++;
                    gcPauseMillis += event.getDuration("sumOfPauses").toNanos() / 1e6;
                    continue;
                }
                if (type.equals("jdk.JavaExceptionThrow") || type.equals("jdk.JavaErrorThrow")) {
                    exceptionCount++;
                    exceptions.merge(event.getClass("thrownClass").getName(), 1L, Long::sum);
                    continue;
                }
                if (type.equals("jdk.ObjectAllocationSample")) {
                    long weight = event.getLong("weight");
                    allocatedBytes += weight;
                    allocations.merge(event.getClass("objectClass").getName(), weight, Long::sum);
                    continue;
                }
                if (!type.equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                    continue;
                }
                List<RecordedFrame> frames = event.getStackTrace().getFrames();
                if (frames.isEmpty()) {
                    continue;
                }
                samples++;
                topFrames.merge(name(frames.getFirst()), 1L, Long::sum);
                layers.merge(layer(frames), 1L, Long::sum);
                var seen = new HashSet<String>();
                for (RecordedFrame frame : frames) {
                    String name = name(frame);
                    // Generated frames (lambdas, CGLIB proxies) repeat the method that called them.
                    boolean generated = name.contains("$$") || name.contains("lambda$");
                    if (name.startsWith("dev.tollgate.") && !generated && seen.add(name)) {
                        inclusive.merge(name, 1L, Long::sum);
                    }
                }
            }
        }
        return new ProfileSummary(server, recording.getFileName().toString(), samples, top(layers, samples, 100),
                top(topFrames, samples, TOP_MAX), top(inclusive, samples, TOP_MAX), gcCount, gcPauseMillis,
                top(exceptions, exceptionCount, 5), top(allocations, allocatedBytes, 8), allocatedBytes / 1e6);
    }

    static String layer(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            for (var layer : LAYERS) {
                if (type.startsWith(layer.getKey())) {
                    return layer.getValue();
                }
            }
        }
        return "JDK (other: HTTP parsing, virtual threads, crypto, ...)";
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    static List<Share> top(Map<String, Long> counts, long total, int limit) {
        var shares = new ArrayList<Share>();
        counts.forEach((name, count) -> shares.add(new Share(name, count, total == 0 ? 0 : 100.0 * count / total)));
        shares.sort(Comparator.comparingLong(Share::samples).reversed().thenComparing(Share::name));
        return List.copyOf(shares.subList(0, Math.min(limit, shares.size())));
    }
}
