package io.ferry.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import io.kubernetes.client.openapi.JSON;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every object that {@code kubectl apply -k k8s/} would send is valid against the Kubernetes API schema: the
 * official Java client's models, generated from Kubernetes' OpenAPI spec, refuse unknown fields, missing
 * required fields, values of the wrong type and malformed quantities. The negative cases show the validator
 * refuses what an API server would.
 */
class KubernetesSchemaTest {

  private static final JSON KUBERNETES = new JSON();
  private static final Gson PLAIN = new Gson();

  @Test
  void everyRenderedObjectIsValidAgainstTheKubernetesSchema() throws Exception {
    List<Map<String, Object>> objects = RenderedManifests.objects();
    Set<String> kinds = new TreeSet<>();
    List<String> invalid = new ArrayList<>();
    for (Map<String, Object> object : objects) {
      kinds.add(object.get("apiVersion") + " " + object.get("kind"));
      try {
        validate(object);
      } catch (RuntimeException e) {
        invalid.add(object.get("kind") + " " + name(object) + ": " + e.getMessage());
      }
    }
    assertEquals(List.of(), invalid);
    assertEquals(Set.of("apps/v1 Deployment", "apps/v1 StatefulSet", "autoscaling/v2 HorizontalPodAutoscaler",
        "networking.k8s.io/v1 Ingress", "networking.k8s.io/v1 NetworkPolicy", "policy/v1 PodDisruptionBudget",
        "v1 ConfigMap", "v1 Secret", "v1 Service"), kinds);
  }

  @Test
  void aBrokenManifestFileFailsAfterRendering() throws Exception {
    List<Map<String, Object>> broken = RenderedManifests.renderedWith("gateway.yaml",
        text -> text.replace("terminationGracePeriodSeconds: 40", "terminationGracePeriod: 40"));
    Map<String, Object> gateway = broken.stream()
        .filter(o -> "Deployment".equals(o.get("kind")) && "ferry-gateway".equals(name(o))).findFirst().orElseThrow();
    assertRefused(gateway, "terminationGracePeriod");
  }

  @Test
  void aMisspelledFieldIsRefused() throws Exception {
    Map<String, Object> deployment = admin();
    spec(deployment).put("replica", 2);
    assertRefused(deployment, "replica");

    Map<String, Object> container = admin();
    firstContainer(container).put("imagePullPolice", "Always");
    assertRefused(container, "imagePullPolice");
  }

  @Test
  void aValueOfTheWrongTypeIsRefused() throws Exception {
    Map<String, Object> deployment = admin();
    spec(deployment).put("replicas", "two");
    assertRefused(deployment, "two");

    Map<String, Object> quantity = admin();
    map(map(firstContainer(quantity).get("resources")).get("limits")).put("memory", "lots");
    assertRefused(quantity, "lots");
  }

  @Test
  void aMissingRequiredFieldIsRefused() throws Exception {
    Map<String, Object> deployment = admin();
    firstContainer(deployment).remove("name");
    assertRefused(deployment, "name");
  }

  @Test
  void renderedReferencesResolveToRenderedObjects() throws Exception {
    List<Map<String, Object>> objects = RenderedManifests.objects();
    Set<String> present = new HashSet<>();
    objects.forEach(o -> present.add(o.get("kind") + "/" + name(o)));
    for (Map<String, Object> object : objects) {
      if (!Set.of("Deployment", "StatefulSet").contains(object.get("kind"))) {
        continue;
      }
      Map<String, Object> pod = map(map(map(object.get("spec")).get("template")).get("spec"));
      for (Object volume : list(pod.get("volumes"))) {
        Object secret = map(volume).get("secret");
        if (secret != null) {
          String secretName = (String) map(secret).get("secretName");
          assertTrue(present.contains("Secret/" + secretName), name(object) + " mounts " + secretName);
        }
      }
      for (Object container : list(pod.get("containers"))) {
        for (Object from : list(map(container).get("envFrom"))) {
          Object configMap = map(from).get("configMapRef");
          Object secret = map(from).get("secretRef");
          if (configMap != null) {
            assertTrue(present.contains("ConfigMap/" + map(configMap).get("name")), name(object) + " " + from);
          }
          if (secret != null) {
            assertTrue(present.contains("Secret/" + map(secret).get("name")), name(object) + " " + from);
          }
        }
      }
    }
  }

  private static void validate(Map<String, Object> object) {
    String apiVersion = (String) object.get("apiVersion");
    String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
    String model = "io.kubernetes.client.openapi.models." + Character.toUpperCase(version.charAt(0))
        + version.substring(1) + object.get("kind");
    Class<?> type;
    try {
      type = Class.forName(model);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("no schema for " + apiVersion + " " + object.get("kind"));
    }
    KUBERNETES.deserialize(PLAIN.toJson(object), type);
  }

  private static void assertRefused(Map<String, Object> object, String mentioned) {
    RuntimeException refused = assertThrows(RuntimeException.class, () -> validate(object));
    assertTrue(String.valueOf(refused.getMessage()).contains(mentioned), refused.toString());
  }

  // A deep copy of the rendered admin Deployment, free to break.
  private static Map<String, Object> admin() throws Exception {
    Map<String, Object> original = RenderedManifests.objects().stream()
        .filter(o -> "Deployment".equals(o.get("kind")) && "ferry-admin".equals(name(o))).findFirst().orElseThrow();
    Map<String, Object> copy = RenderedManifests.parse(PLAIN.toJson(original)).get(0);
    validate(copy);
    return copy;
  }

  private static Map<String, Object> spec(Map<String, Object> deployment) {
    return map(deployment.get("spec"));
  }

  private static Map<String, Object> firstContainer(Map<String, Object> deployment) {
    return map(list(map(map(spec(deployment).get("template")).get("spec")).get("containers")).get(0));
  }

  private static String name(Map<String, Object> object) {
    return (String) map(object.get("metadata")).get("name");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value == null ? Map.of() : (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    return value == null ? List.of() : (List<Object>) value;
  }
}
