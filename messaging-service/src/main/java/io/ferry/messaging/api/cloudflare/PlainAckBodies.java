package io.ferry.messaging.api.cloudflare;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.ferry.contracts.model.RetryRequest;
import io.ferry.messaging.api.MessageLimits;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An ack body read in one streaming pass, without building a JSON object tree first (decoding the tree was
 * most of an ack request's parsing cost). Only a body that is plainly valid is read here: an object with at
 * most one {@code acks} and one {@code retries} array, entries with each known field at most once, lease ids
 * as strings and delays as whole numbers in range. For anything else (malformed JSON, unknown or repeated
 * fields, nulls, other types, fractions) the answer is null, and the caller checks the body as before, so
 * every error a client sees comes from one place.
 */
final class PlainAckBodies {

  private static final JsonFactory FACTORY = JsonFactory.builder().build();

  /** The lease ids to ack and the retries, in the order the body gives them. */
  record AckBody(List<String> acks, List<RetryRequest> retries) {
  }

  private PlainAckBodies() {
  }

  static AckBody read(Buffer request) {
    try (JsonParser parser = FACTORY.createParser(request.getBytes())) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      List<String> acks = null;
      List<RetryRequest> retries = null;
      String field;
      while ((field = parser.nextFieldName()) != null) {
        if (parser.nextToken() != JsonToken.START_ARRAY) {
          return null;
        }
        if ("acks".equals(field) && acks == null) {
          acks = acks(parser);
          if (acks == null) {
            return null;
          }
        } else if ("retries".equals(field) && retries == null) {
          retries = retries(parser);
          if (retries == null) {
            return null;
          }
        } else {
          return null;
        }
      }
      if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
        return null;
      }
      return acks == null && retries == null ? null
          : new AckBody(acks == null ? List.of() : acks, retries == null ? List.of() : retries);
    } catch (IOException | RuntimeException notPlain) {
      return null;
    }
  }

  // The entries up to the array's end, or null if one is not plain ({"lease_id": "..."}).
  private static List<String> acks(JsonParser parser) throws IOException {
    List<String> acks = new ArrayList<>();
    for (JsonToken entry = parser.nextToken(); entry != JsonToken.END_ARRAY; entry = parser.nextToken()) {
      if (entry != JsonToken.START_OBJECT || !"lease_id".equals(parser.nextFieldName())
          || parser.nextToken() != JsonToken.VALUE_STRING) {
        return null;
      }
      acks.add(parser.getText());
      if (parser.nextToken() != JsonToken.END_OBJECT) {
        return null;
      }
    }
    return acks;
  }

  // The entries up to the array's end, or null if one is not plain ({"lease_id": "...", "delay_seconds": n}).
  private static List<RetryRequest> retries(JsonParser parser) throws IOException {
    List<RetryRequest> retries = new ArrayList<>();
    for (JsonToken entry = parser.nextToken(); entry != JsonToken.END_ARRAY; entry = parser.nextToken()) {
      if (entry != JsonToken.START_OBJECT) {
        return null;
      }
      String leaseId = null;
      Integer delay = null;
      boolean delaySeen = false;
      String field;
      while ((field = parser.nextFieldName()) != null) {
        JsonToken value = parser.nextToken();
        if ("lease_id".equals(field) && leaseId == null && value == JsonToken.VALUE_STRING) {
          leaseId = parser.getText();
        } else if ("delay_seconds".equals(field) && !delaySeen && value == JsonToken.VALUE_NUMBER_INT) {
          delaySeen = true;
          delay = delaySeconds(parser);
          if (delay == null) {
            return null;
          }
        } else {
          return null;
        }
      }
      if (leaseId == null || parser.currentToken() != JsonToken.END_OBJECT) {
        return null;
      }
      retries.add(new RetryRequest(leaseId, delay));
    }
    return retries;
  }

  private static Integer delaySeconds(JsonParser parser) throws IOException {
    if (parser.getNumberType() != JsonParser.NumberType.INT) {
      return null;
    }
    int seconds = parser.getIntValue();
    return seconds >= 0 && seconds <= MessageLimits.MAX_DELAY_SECONDS ? seconds : null;
  }
}
