package io.ferry.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * k8s/ as {@code kubectl apply -k} would send it: rendered by the kustomize built into kubectl, from a copy of
 * the directory with placeholder files where generate-secrets.sh would have written the secrets (their contents
 * do not matter to the rendering, only that the secretGenerator finds them).
 */
final class RenderedManifests {

  static final Path K8S = Path.of(System.getProperty("basedir", "."), "..", "k8s").normalize();
  private static final Path COPIES = Path.of(System.getProperty("basedir", "."), "target", "k8s-render");
  private static List<Map<String, Object>> rendered;

  private RenderedManifests() {
  }

  /** Every object of the rendered kustomization, in kustomize's order. */
  static synchronized List<Map<String, Object>> objects() throws IOException, InterruptedException {
    if (rendered == null) {
      rendered = parse(render(COPIES.resolve("k8s"), "", text -> text));
    }
    return rendered;
  }

  /** The objects rendered from a copy of k8s/ in which {@code file}'s text went through {@code edit}. */
  static List<Map<String, Object>> renderedWith(String file, UnaryOperator<String> edit)
      throws IOException, InterruptedException {
    return parse(render(COPIES.resolve("edited"), file, edit));
  }

  static List<Map<String, Object>> parse(String yaml) {
    List<Map<String, Object>> objects = new ArrayList<>();
    for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
      if (document != null) {
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) document;
        objects.add(object);
      }
    }
    return objects;
  }

  private static String render(Path copy, String edited, UnaryOperator<String> edit)
      throws IOException, InterruptedException {
    requireKubectl();
    Files.createDirectories(copy.resolve("secrets"));
    try (Stream<Path> files = Files.list(K8S)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        String text = Files.readString(file);
        Files.writeString(copy.resolve(file.getFileName()),
            file.getFileName().toString().equals(edited) ? edit.apply(text) : text);
      }
    }
    for (String secret : List.of("ca.crt", "tls.crt", "tls.key", "bootstrap-key", "token-secret",
        "storage-secrets-key", "postgres-password")) {
      Files.writeString(copy.resolve("secrets").resolve(secret), "placeholder");
    }
    Process kubectl = new ProcessBuilder("kubectl", "kustomize", copy.toString()).redirectErrorStream(true).start();
    try (InputStream output = kubectl.getInputStream()) {
      String text = new String(output.readAllBytes(), StandardCharsets.UTF_8);
      if (!kubectl.waitFor(60, TimeUnit.SECONDS) || kubectl.exitValue() != 0) {
        throw new AssertionError("kubectl kustomize " + copy + " failed:\n" + text);
      }
      return text;
    }
  }

  /**
   * Fails when kubectl is missing and {@code FERRY_TEST_KUBECTL_REQUIRED=1} (set by CI, which installs it);
   * elsewhere skips the calling test, loudly.
   */
  private static void requireKubectl() {
    String path = System.getenv().getOrDefault("PATH", "");
    boolean found = Stream.of(path.split(java.io.File.pathSeparator))
        .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "kubectl")));
    if (found) {
      return;
    }
    String message = "rendering k8s/ needs kubectl (its built-in kustomize): apt-get install kubernetes-client";
    if ("1".equals(System.getenv("FERRY_TEST_KUBECTL_REQUIRED"))) {
      throw new IllegalStateException(message);
    }
    System.err.println("SKIPPED: " + message);
    Assumptions.abort(message);
  }
}
