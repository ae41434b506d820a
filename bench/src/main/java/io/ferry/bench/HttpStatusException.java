package io.ferry.bench;

/** A response outside 2xx (or a 2xx whose body says something went wrong), kept exactly for the report. */
final class HttpStatusException extends RuntimeException {

  private final String request;
  private final int status;
  private final String body;

  HttpStatusException(String request, int status, String body) {
    super(request + " -> " + status + " " + body, null, false, false);
    this.request = request;
    this.status = status;
    this.body = body;
  }

  String request() {
    return request;
  }

  int status() {
    return status;
  }

  String body() {
    return body;
  }
}
