package io.parley.k8s;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization with {@code kubectl kustomize}, exactly what {@code kubectl apply -k}
 * sends. A missing kubectl fails the build: skipping would let broken manifests through unseen.
 */
final class Kustomize {
  private static final Map<Path, String> CACHE = new ConcurrentHashMap<>();

  private Kustomize() {}

  static String render(Path dir) {
    return CACHE.computeIfAbsent(dir.toAbsolutePath().normalize(), Kustomize::run);
  }

  static Path kubectl() {
    String configured = System.getenv("KUBECTL");
    if (configured != null && !configured.isBlank()) {
      Path path = Path.of(configured);
      if (!Files.isExecutable(path)) {
        throw new AssertionError("KUBECTL=" + configured + " is not an executable file");
      }
      return path;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, "kubectl");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError(
        "kubectl was not found on PATH, so the Kubernetes manifests under k8s/ cannot be rendered and"
            + " checked. Install kubectl 1.27 or later (it bundles kustomize) or point the KUBECTL"
            + " environment variable at it. This module refuses to pass without checking.");
  }

  private static String run(Path dir) {
    if (!Files.isRegularFile(dir.resolve("kustomization.yaml"))) {
      throw new AssertionError(dir + " has no kustomization.yaml");
    }
    List<String> command = List.of(kubectl().toString(), "kustomize", dir.toString());
    try {
      Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
      process.getOutputStream().close();
      CompletableFuture<String> out = drain(process.getInputStream());
      CompletableFuture<String> err = drain(process.getErrorStream());
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish in 120 s");
      }
      if (process.exitValue() != 0) {
        throw new AssertionError(
            String.join(" ", command) + " failed (exit " + process.exitValue() + "):\n" + err.join());
      }
      return out.join();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    }
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            stream.transferTo(bytes);
            return bytes.toString(StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
