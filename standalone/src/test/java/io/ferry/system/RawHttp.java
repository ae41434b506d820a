package io.ferry.system;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, keep-alive, for requests no well-behaved client would send: raw bytes in
 * the request line, duplicate or oversized headers, bodies that lie about their type or size. Reads one
 * response per request (Content-Length, chunked, or until close) and reconnects when the server closed.
 */
final class RawHttp implements AutoCloseable {

  /** What came back: the status (or -1 with {@code failure} when nothing parseable did), headers, body. */
  record Response(int status, List<String[]> headers, byte[] body, String failure) {

    String header(String name) {
      for (String[] header : headers) {
        if (header[0].equalsIgnoreCase(name)) {
          return header[1];
        }
      }
      return null;
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private static final int MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

  private final String host;
  private final int port;
  private final int readTimeoutMs;
  private String localAddress;
  private int staleRetries;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  RawHttp(String host, int port, int readTimeoutMs) {
    this.host = host;
    this.port = port;
    this.readTimeoutMs = readTimeoutMs;
  }

  /**
   * Sends {@code head} (request line and headers, CRLF-separated, without the blank line) and {@code body},
   * then reads the response. {@code closeAfter} drops the connection afterwards (a body the server may
   * not have read to the end).
   */
  Response exchange(byte[] head, byte[] body, String method, boolean closeAfter) {
    boolean reused = socket != null;
    Response response = attempt(head, body, method, closeAfter);
    if (response.status() < 0 && reused) {
      // A kept-alive connection the server had closed since its last answer: what any client does, once.
      staleRetries++;
      response = attempt(head, body, method, closeAfter);
    }
    return response;
  }

  /** How many requests were sent again because their kept-alive connection turned out closed. */
  int staleRetries() {
    return staleRetries;
  }

  /** Connects from {@code address} (a loopback alias) from the next request on. */
  void bindTo(String address) {
    if (!address.equals(localAddress)) {
      localAddress = address;
      disconnect();
    }
  }

  private Response attempt(byte[] head, byte[] body, String method, boolean closeAfter) {
    try {
      connectIfNeeded();
      IOException writeFailure = null;
      try {
        out.write(head);
        out.write("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
          out.write(body);
        }
        out.flush();
      } catch (IOException e) {
        // The server may answer (413) and close before it read everything; the answer may still be there.
        writeFailure = e;
      }
      Response response;
      try {
        response = read(method);
      } catch (SocketTimeoutException e) {
        disconnect();
        return new Response(-1, List.of(), new byte[0], "no response within " + readTimeoutMs + " ms");
      } catch (IOException e) {
        disconnect();
        return new Response(-1, List.of(), new byte[0], "connection failed: " + e
            + (writeFailure == null ? "" : " (write: " + writeFailure + ")"));
      }
      String connection = response.header("Connection");
      if (closeAfter || writeFailure != null || response.status() == 101
          || (connection != null && connection.equalsIgnoreCase("close"))) {
        disconnect();
      }
      return response;
    } catch (IOException e) {
      disconnect();
      return new Response(-1, List.of(), new byte[0], "could not connect: " + e);
    }
  }

  private void connectIfNeeded() throws IOException {
    if (socket != null && !socket.isClosed()) {
      return;
    }
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(readTimeoutMs);
    if (localAddress != null) {
      socket.bind(new InetSocketAddress(localAddress, 0));
    }
    socket.connect(new InetSocketAddress(host, port), 5_000);
    in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    out = socket.getOutputStream();
  }

  private Response read(String method) throws IOException {
    Response response = readOne(method);
    // Interim answers (100 Continue to an Expect header) come before the real one.
    while (response.status() >= 100 && response.status() < 200 && response.status() != 101) {
      response = readOne(method);
    }
    return response;
  }

  private Response readOne(String method) throws IOException {
    String statusLine = line();
    if (statusLine == null) {
      throw new IOException("connection closed before a response");
    }
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP status line: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    List<String[]> headers = new ArrayList<>();
    for (String line = line(); line != null && !line.isEmpty(); line = line()) {
      int colon = line.indexOf(':');
      headers.add(new String[] {line.substring(0, Math.max(colon, 0)).trim(), line.substring(colon + 1).trim()});
    }
    Response shell = new Response(status, headers, new byte[0], null);
    if (status < 200 || status == 204 || status == 304 || method.equals("HEAD")) {
      return shell;
    }
    String length = shell.header("Content-Length");
    String encoding = shell.header("Transfer-Encoding");
    byte[] body;
    if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
      body = chunked();
    } else if (length != null) {
      body = in.readNBytes(Integer.parseInt(length));
    } else {
      body = in.readNBytes(MAX_RESPONSE_BYTES);
      disconnect();
    }
    return new Response(status, headers, body, null);
  }

  private byte[] chunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = line();
      if (sizeLine == null) {
        throw new IOException("connection closed inside a chunked body");
      }
      int semicolon = sizeLine.indexOf(';');
      int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
      if (size == 0) {
        for (String trailer = line(); trailer != null && !trailer.isEmpty(); trailer = line()) {
          // trailers are not used by Ferry
        }
        return body.toByteArray();
      }
      body.write(in.readNBytes(size));
      line();
      if (body.size() > MAX_RESPONSE_BYTES) {
        throw new IOException("response larger than " + MAX_RESPONSE_BYTES + " bytes");
      }
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  private void disconnect() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      socket = null;
    }
  }

  @Override
  public void close() {
    disconnect();
  }
}
