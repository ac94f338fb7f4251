package dev.tollgate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Where a run happened: the figures mean little without the machine, the JVM and the database. */
record Machine(
        int cores,
        String cpuModel,
        long memoryMegabytes,
        String os,
        String jvm,
        String postgres,
        Map<String, String> postgresSettings,
        String gitCommit,
        String loadAverageAtStart) {

    Machine {
        postgresSettings = Map.copyOf(postgresSettings);
    }

    static Machine describe(Map<String, String> postgresSettings, Path root) {
        return new Machine(
                Runtime.getRuntime().availableProcessors(),
                readCpuModel(),
                readMemoryMegabytes(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                        + Runtime.version(),
                postgresSettings.getOrDefault("server_version", "unknown"),
                postgresSettings,
                gitCommit(root),
                procLines("/proc/loadavg").stream().findFirst().map(line -> line.split(" ")[0]).orElse("unknown"));
    }

    private static String readCpuModel() {
        return procLines("/proc/cpuinfo").stream()
                .filter(line -> line.startsWith("model name"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim())
                .findFirst()
                .orElse(System.getProperty("os.arch"));
    }

    private static long readMemoryMegabytes() {
        return procLines("/proc/meminfo").stream()
                .filter(line -> line.startsWith("MemTotal:"))
                .map(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024)
                .findFirst()
                .orElse(Runtime.getRuntime().maxMemory() / (1024 * 1024));
    }

    private static List<String> procLines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static String gitCommit(Path root) {
        try {
            var process = new ProcessBuilder("git", "rev-parse", "--short", "HEAD")
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes()).trim();
            return process.waitFor() == 0 ? output : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
