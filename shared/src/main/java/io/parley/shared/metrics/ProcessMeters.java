package io.parley.shared.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process as the kernel and the JVM see it: heap and non-heap by pool, GC pauses, threads,
 * classes, CPU, open files, uptime, and the resident set size, which is what a container's memory
 * limit counts (heap is only part of it: docs/operations.md, "Sizing").
 */
public final class ProcessMeters implements AutoCloseable {
  private static final Path STATUS = Path.of("/proc/self/status");

  private final JvmGcMetrics gc = new JvmGcMetrics();

  private ProcessMeters() {}

  /** Binds every meter; close it with the process (it holds GC notification listeners). */
  public static ProcessMeters bindTo(MeterRegistry registry) {
    ProcessMeters meters = new ProcessMeters();
    new JvmMemoryMetrics().bindTo(registry);
    meters.gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmInfoMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    if (Files.isReadable(STATUS)) {
      Gauge.builder("process.resident.memory", STATUS, ProcessMeters::residentBytes)
          .baseUnit("bytes")
          .description("Resident set size (VmRSS) of this process: what a container memory limit counts")
          .register(registry);
    }
    return meters;
  }

  /** VmRSS from /proc/self/status (Linux), in bytes; NaN when it cannot be read. */
  static double residentBytes(Path status) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Reported as NaN: a gap in the graph, not a wrong value.
    }
    return Double.NaN;
  }

  @Override
  public void close() {
    gc.close();
  }
}
