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
 * The OpenAPI contract of what one process serves: the shared base (info, shared components such as each
 * dialect's envelope and error, operational routes) plus the {@code paths} and schemas of each hosted service,
 * kept as JSON resources next to the code that serves them.
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
    JsonObject schemas = doc.getJsonObject("components").getJsonObject("schemas");
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
      JsonObject components = fragment.getJsonObject("components", new JsonObject());
      for (Map.Entry<String, Object> schema : components.getJsonObject("schemas", new JsonObject())) {
        Object known = schemas.getValue(schema.getKey());
        // Two modules may describe the same object; two different objects under one name is a contract bug.
        if (known != null && !known.equals(schema.getValue())) {
          throw new IllegalStateException("OpenAPI schema " + schema.getKey() + " of " + module.name()
              + " differs from the one already defined");
        }
        schemas.put(schema.getKey(), schema.getValue());
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
}
