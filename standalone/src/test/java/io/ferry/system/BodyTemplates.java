package io.ferry.system;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * A body each route would accept (the served /openapi.yaml), which the fuzzer then breaks one field at a time. Routes
 * without a body get {@code null}; a route the contract gains later falls back to a generic object, so it
 * is still fuzzed with bodies.
 */
final class BodyTemplates {

  private static final String CF = "(/client/v4)?/accounts/\\{account_id}";

  private BodyTemplates() {
  }

  static Object forRoute(HostileRequests.Route route, HostileRequests.Fixtures fixtures) {
    String method = route.method();
    String path = route.template().replaceFirst("^" + CF, "cf:");
    Map<String, String> own = fixtures.own();
    String json = switch (method + " " + path) {
      case "POST cf:/queues" -> "{\"queue_name\":\"fz-made\",\"settings\":{\"delivery_delay\":0,"
          + "\"delivery_paused\":false,\"message_retention_period\":345600}}";
      case "PUT cf:/queues/{queue_id}" -> "{\"queue_name\":\"fz-main\",\"settings\":{\"delivery_delay\":0,"
          + "\"delivery_paused\":false,\"message_retention_period\":345600}}";
      case "PATCH cf:/queues/{queue_id}" -> "{\"settings\":{\"delivery_paused\":false,\"delivery_delay\":0}}";
      case "POST cf:/queues/{queue_id}/purge" -> "{\"delete_messages_permanently\":true}";
      case "POST cf:/queues/{queue_id}/consumers", "PUT cf:/queues/{queue_id}/consumers/{consumer_id}" ->
          "{\"type\":\"http_pull\",\"dead_letter_queue\":\"fz-dlq\",\"settings\":{\"batch_size\":5,"
              + "\"max_retries\":3,\"retry_delay\":0,\"visibility_timeout_ms\":30000}}";
      case "POST cf:/queues/{queue_id}/messages" -> "{\"body\":\"hello\",\"content_type\":\"text\","
          + "\"delay_seconds\":0}";
      case "POST cf:/queues/{queue_id}/messages/batch" -> "{\"messages\":[{\"body\":{\"k\":1},"
          + "\"content_type\":\"json\",\"delay_seconds\":0},{\"body\":\"aGk=\",\"content_type\":\"bytes\"}],"
          + "\"delay_seconds\":0}";
      case "POST cf:/queues/{queue_id}/messages/pull" -> "{\"batch_size\":2,\"visibility_timeout_ms\":1000,"
          + "\"wait_ms\":0}";
      case "POST cf:/queues/{queue_id}/messages/ack" -> "{\"acks\":[{\"lease_id\":\"" + own.get("lease_id")
          + "\"}],\"retries\":[{\"lease_id\":\"" + own.get("lease_id") + "\",\"delay_seconds\":0}]}";
      case "POST cf:/queues/{queue_id}/messages/peek" -> "{\"batch_size\":2}";
      case "POST cf:/queues/{queue_id}/messages/purge" -> "{\"refs\":[{\"ref\":\"" + own.get("ref") + "\"}]}";
      case "POST cf:/event_subscriptions/subscriptions" -> "{\"name\":\"fz-sub\",\"enabled\":true,"
          + "\"source\":{\"type\":\"ferry.queues\"},\"destination\":{\"type\":\"queues.queue\",\"queue_id\":\""
          + own.get("queue_id") + "\"},\"events\":[\"queue.created\"]}";
      case "PATCH cf:/event_subscriptions/subscriptions/{subscription_id}" -> "{\"name\":\"fz-sub\","
          + "\"enabled\":true,\"events\":[\"queue.created\"]}";
      case "POST /v1/queues" -> "{\"name\":\"fz-made\",\"schema\":{\"type\":\"object\",\"strict\":true,"
          + "\"props\":{\"n\":{\"type\":\"number\",\"min\":0,\"max\":10},\"s\":{\"type\":\"string\","
          + "\"pattern\":\"^a+$\",\"max\":10,\"required\":true},\"l\":{\"type\":\"array\",\"items\":"
          + "{\"type\":\"integer\"}},\"e\":{\"type\":\"string\",\"enum\":[\"x\",\"y\"]}}}}";
      case "PUT /v1/queues/{queue_id}" -> "{\"name\":\"fz-main\"}";
      case "POST /v1/queues/{queue_id}/listeners" -> "{\"name\":\"fz-listener\","
          + "\"notify_url\":\"http://127.0.0.1:9/hook\",\"liveness_url\":\"http://127.0.0.1:9/live\"}";
      case "PUT /v1/queues/{queue_id}/listeners/{listener_id}" -> "{\"name\":\"fz-listener\","
          + "\"notify_url\":\"http://127.0.0.1:9/hook\",\"liveness_url\":\"http://127.0.0.1:9/live\","
          + "\"status\":\"enabled\"}";
      case "POST /v1/queues/{queue_id}/listeners/{listener_id}/redeliver" -> "{\"ids\":[\""
          + own.get("message_id") + "\"]}";
      case "POST /v1/queues/{queue_id}/messages" -> "{\"name\":\"fz\",\"data\":\"hello\"}";
      case "POST /v1/api_keys", "PUT /v1/api_keys/{key_id}" -> "{\"name\":\"fz-key\",\"status\":\"enabled\","
          + "\"scopes\":[\"queues:read:*\"]}";
      case "POST /v1/api_clients" -> "{\"name\":\"fz-client\"}";
      case "POST /queue/send/{queue}" -> "{\"id\":\"k\",\"payload\":{\"n\":1},\"sequence\":1}";
      default -> method.equals("POST") || method.equals("PUT") || method.equals("PATCH")
          ? "{\"name\":\"fz\",\"id\":\"k\"}" : null;
    };
    return json == null ? null : HostileJson.tree(new JsonObject(json));
  }
}
