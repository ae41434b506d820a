package io.ferry.contracts.runtime;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

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
    StringBuilder out = new StringBuilder();
    emitObject(out, document, 0);
    return out.toString();
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

  private static void emitObject(StringBuilder out, JsonObject object, int indent) {
    for (Map.Entry<String, Object> entry : object) {
      out.append(" ".repeat(indent)).append(Json.encode(entry.getKey())).append(':');
      emitValue(out, entry.getValue(), indent);
    }
  }

  private static void emitValue(StringBuilder out, Object value, int indent) {
    if (value instanceof JsonObject nested && !nested.isEmpty()) {
      out.append('\n');
      emitObject(out, nested, indent + 2);
    } else if (value instanceof JsonArray array && !array.isEmpty()) {
      out.append('\n');
      for (Object item : array) {
        if (item instanceof JsonObject itemObject && !itemObject.isEmpty()) {
          StringBuilder nested = new StringBuilder();
          emitObject(nested, itemObject, indent + 2);
          out.append(" ".repeat(indent)).append("- ").append(nested.substring(indent + 2));
        } else {
          out.append(" ".repeat(indent)).append("-");
          emitValue(out, item, indent + 2);
        }
      }
    } else {
      out.append(' ').append(scalar(value)).append('\n');
    }
  }

  private static String scalar(Object value) {
    if (value instanceof JsonObject) {
      return "{}";
    }
    if (value instanceof JsonArray) {
      return "[]";
    }
    return value instanceof String s ? Json.encode(s) : String.valueOf(value);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
