package io.ferry.contracts.runtime;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * The OpenAPI contract of what one process serves: the shared base (info, components, operational routes)
 * plus the {@code paths} of each hosted service, kept as JSON resources next to the code that serves them.
 */
final class OpenApiDocument {

  static final String BASE_RESOURCE = "openapi/base.json";

  private final JsonObject document;

  private OpenApiDocument(JsonObject document) {
    this.document = document;
  }

  static OpenApiDocument assemble(String title, List<ServiceModule> modules) {
    JsonObject doc = load(BASE_RESOURCE);
    doc.getJsonObject("info").put("title", title);
    JsonObject paths = doc.getJsonObject("paths");
    for (ServiceModule module : modules) {
      JsonObject fragment = load(module.openApiResource());
      for (Map.Entry<String, Object> path : fragment.getJsonObject("paths")) {
        JsonObject existing = paths.getJsonObject(path.getKey());
        if (existing == null) {
          paths.put(path.getKey(), path.getValue());
        } else {
          existing.mergeIn((JsonObject) path.getValue());
        }
      }
    }
    return new OpenApiDocument(doc);
  }

  JsonObject json() {
    return document;
  }

  String toYaml() {
    return yaml().dump(plain(document));
  }

  String toHtml() {
    StringBuilder rows = new StringBuilder();
    for (Map.Entry<String, Object> path : document.getJsonObject("paths")) {
      for (Map.Entry<String, Object> op : (JsonObject) path.getValue()) {
        JsonObject operation = (JsonObject) op.getValue();
        rows.append("<tr><td><code>").append(op.getKey().toUpperCase(java.util.Locale.ROOT))
            .append("</code></td><td><code>").append(escape(path.getKey())).append("</code></td><td>")
            .append(escape(operation.getString("summary", ""))).append("</td></tr>\n");
      }
    }
    String title = escape(document.getJsonObject("info").getString("title"));
    return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + title + "</title>"
        + "<style>body{font-family:sans-serif;margin:2em}td{padding:.2em .8em;border-bottom:1px solid #ddd}"
        + "</style></head><body><h1>" + title + "</h1><p>"
        + escape(document.getJsonObject("info").getString("description", ""))
        + "</p><p>Machine-readable contract: <a href=\"/openapi.yaml\">/openapi.yaml</a></p>"
        + "<table><tr><th>method</th><th>path</th><th>summary</th></tr>\n" + rows + "</table></body></html>";
  }

  private static JsonObject load(String resource) {
    try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing OpenAPI resource " + resource);
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Plain maps and lists, in the document's order, for the YAML writer. */
  private static Object plain(Object value) {
    if (value instanceof JsonObject object) {
      return plain(object.getMap());
    }
    if (value instanceof JsonArray array) {
      return plain(array.getList());
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((key, item) -> copy.put(String.valueOf(key), plain(item)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(item -> copy.add(plain(item)));
      return copy;
    }
    return value;
  }

  private static Yaml yaml() {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    // One line per entry, so that a reader can pick routes out line by line.
    options.setSplitLines(false);
    options.setWidth(Integer.MAX_VALUE);
    return new Yaml(new QuotedStrings(options), options);
  }

  /**
   * Strings (keys included) double-quoted, as JSON writes them: a path or a description is then never read as
   * another type, and the document reads the same to a JSON-minded eye.
   */
  private static final class QuotedStrings extends Representer {

    QuotedStrings(DumperOptions options) {
      super(options);
      this.representers.put(String.class, data -> representScalar(Tag.STR, (String) data,
          DumperOptions.ScalarStyle.DOUBLE_QUOTED));
    }
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
