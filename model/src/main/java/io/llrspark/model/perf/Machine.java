package io.llrspark.model.perf;

import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The line every speed figure is printed under: the CPU's model and vector instruction sets, what the JVM and oneDNN
 * were allowed to use of them, and the threads. A figure from one CPU is no evidence for another; the same CPU with
 * its vectors capped (the launchers' {@code LLR_PORTABLE_ISA=avx2}) is another machine too.
 */
public final class Machine {
    private static final List<String> ISA = List.of("avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx2", "fma",
            "avx");

    private Machine() {
    }

    public static String describe() {
        String model = "unknown CPU";
        Set<String> flags = Set.of();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name") && model.equals("unknown CPU")) {
                    model = line.substring(line.indexOf(':') + 1).strip();
                } else if (line.startsWith("flags") && flags.isEmpty()) {
                    flags = Set.of(line.substring(line.indexOf(':') + 1).strip().split("\\s+"));
                }
            }
        } catch (IOException e) {
            model = System.getProperty("os.arch");
        }
        List<String> isa = new ArrayList<>();
        for (String f : ISA) {
            if (flags.contains(f)) {
                isa.add(f);
            }
        }
        String onednn = System.getenv().getOrDefault("ONEDNN_MAX_CPU_ISA",
                System.getenv().getOrDefault("DNNL_MAX_CPU_ISA", "all"));
        return String.format("CPU: %s, %d cores, %s | JVM vectors: UseAVX=%s, MaxVectorSize=%s | oneDNN ISA: %s "
                        + "| ND4J threads: %d", model, Runtime.getRuntime().availableProcessors(),
                isa.isEmpty() ? "no AVX" : String.join(" ", isa), vmOption("UseAVX"), vmOption("MaxVectorSize"),
                onednn, Nd4j.getEnvironment().maxMasterThreads());
    }

    private static String vmOption(String name) {
        try {
            return ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .getVMOption(name).getValue();
        } catch (RuntimeException e) {
            return "?";
        }
    }
}
