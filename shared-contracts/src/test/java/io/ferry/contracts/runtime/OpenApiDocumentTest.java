package io.ferry.contracts.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

class OpenApiDocumentTest {

  @Test
  void mergesModulePathsAndRendersYaml() {
    OpenApiDocument doc = OpenApiDocument.assemble("Ferry test", List.of(new FragmentOnly()));
    assertEquals("Ferry test", doc.json().getJsonObject("info").getString("title"));
    assertTrue(doc.json().getJsonObject("paths").containsKey("/health/ready"));
    assertTrue(doc.json().getJsonObject("paths").containsKey("/things/{id}"));
    String yaml = doc.toYaml();
    assertTrue(yaml.startsWith("\"openapi\": \"3.0.3\"\n"), yaml);
    assertTrue(yaml.contains("\n  \"/things/{id}\":\n    \"get\":\n      \"summary\": \"A <thing>.\"\n"), yaml);
    assertTrue(yaml.contains("\"security\": []"), yaml);
    assertTrue(yaml.contains("\n\"security\":\n- \"bearer\": []\n- \"apiKey\": []\n"), yaml);
  }

  @Test
  void theYamlReadsBackAsTheDocument() {
    OpenApiDocument doc = OpenApiDocument.assemble("Ferry test", List.of(new FragmentOnly()));
    Object read = new Yaml(new SafeConstructor(new LoaderOptions())).load(doc.toYaml());
    assertEquals(new JsonObject(doc.json().encode()).getMap(), read);
  }

  /** A module that only contributes an OpenAPI fragment. */
  static final class FragmentOnly extends BareModule {
    @Override
    public String name() {
      return "fragment";
    }
  }
}
