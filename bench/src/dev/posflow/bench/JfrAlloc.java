package dev.posflow.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording's allocations went between two instants (jdk.ObjectAllocationSample, weighted by the bytes
 * each sample stands for): the total, the share by class, by allocation site (its first frames) and by the first
 * dev.posflow frame on the stack; and the young collections with their pauses. Per unit of work when told how many
 * units the window served (samples a door run took).
 * <p>
 * Usage: JfrAlloc recording.jfr from-epoch-ms to-epoch-ms [units] [site depth, default 4] [top, default 15]
 */
public final class JfrAlloc {

    public static void main(String[] args) throws Exception {
        Instant from = Instant.ofEpochMilli(Long.parseLong(args[1]));
        Instant to = Instant.ofEpochMilli(Long.parseLong(args[2]));
        long units = args.length > 3 ? Long.parseLong(args[3]) : 0;
        int depth = args.length > 4 ? Integer.parseInt(args[4]) : 4;
        int top = args.length > 5 ? Integer.parseInt(args[5]) : 15;
        Map<String, Long> byClass = new HashMap<>();
        Map<String, Long> bySite = new HashMap<>();
        Map<String, Long> byPosflow = new HashMap<>();
        long total = 0;
        long collections = 0;
        long pausedNanos = 0;
        try (RecordingFile file = new RecordingFile(Path.of(args[0]))) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                if (event.getStartTime().isBefore(from) || event.getStartTime().isAfter(to)) {
                    continue;
                }
                String type = event.getEventType().getName();
                if (type.equals("jdk.GarbageCollection")) {
                    collections++;
                    pausedNanos += event.getDuration().toNanos();
                } else if (type.equals("jdk.ObjectAllocationSample")) {
                    long weight = event.getLong("weight");
                    total += weight;
                    byClass.merge(event.getClass("objectClass").getName(), weight, Long::sum);
                    bySite.merge(site(event.getStackTrace(), depth), weight, Long::sum);
                    byPosflow.merge(firstPosflowFrame(event.getStackTrace()), weight, Long::sum);
                }
            }
        }
        double seconds = (to.toEpochMilli() - from.toEpochMilli()) / 1000.0;
        System.out.printf("%.0f MB allocated in %.1f s (%.0f MB/s)%s; %d collections, %.0f ms paused (%.0f %% of the"
                + " window)%n", total / 1e6, seconds, total / 1e6 / seconds,
                units > 0 ? String.format(", %.1f KB per unit of %d", total / 1e3 / units, units) : "", collections,
                pausedNanos / 1e6, pausedNanos / 1e7 / seconds);
        JfrTop.print("by class, bytes", byClass, total, top);
        JfrTop.print("by site (first " + depth + " frames), bytes", bySite, total, top);
        JfrTop.print("by first dev.posflow frame, bytes", byPosflow, total, top);
    }

    private static String site(RecordedStackTrace stack, int depth) {
        if (stack == null) {
            return "(no stack)";
        }
        List<RecordedFrame> frames = stack.getFrames();
        StringBuilder site = new StringBuilder();
        for (int i = 0; i < Math.min(depth, frames.size()); i++) {
            site.append(i == 0 ? "" : " < ").append(JfrTop.name(frames.get(i)));
        }
        return site.toString();
    }

    private static String firstPosflowFrame(RecordedStackTrace stack) {
        if (stack != null) {
            for (RecordedFrame frame : stack.getFrames()) {
                if (frame.getMethod().getType().getName().startsWith("dev.posflow.")) {
                    return JfrTop.name(frame);
                }
            }
        }
        return "(none: the frameworks' own)";
    }
}
