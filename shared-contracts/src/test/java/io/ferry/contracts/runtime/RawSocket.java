package io.ferry.contracts.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A plain TCP connection to the server, for what no HTTP client library would send or wait for. */
final class RawSocket implements AutoCloseable {

  private final Socket socket = new Socket();
  private final InputStream in;
  private final OutputStream out;
  private final long openedAtNanos;

  RawSocket(int port) throws IOException {
    this(null, "127.0.0.1", port);
  }

  RawSocket(String from, String host, int port) throws IOException {
    if (from != null) {
      socket.bind(new InetSocketAddress(from, 0));
    }
    socket.connect(new InetSocketAddress(host, port), 5_000);
    socket.setSoTimeout(15_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
    openedAtNanos = System.nanoTime();
  }

  RawSocket send(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return this;
  }

  /** Everything the server sends until it closes the connection (or 15 s pass: then the test fails). */
  String readUntilClosed() throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) > 0; ) {
        all.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server did not close the connection; it sent: " + all, e);
    } catch (IOException reset) {
      // A reset is a close too.
    }
    return all.toString(StandardCharsets.ISO_8859_1);
  }

  /** One response (head and a Content-Length body), leaving the connection open. */
  String readResponse() throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      all.write(b);
      String text = all.toString(StandardCharsets.ISO_8859_1);
      int headEnd = text.indexOf("\r\n\r\n");
      if (headEnd > 0) {
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
        int bodyLength = length.find() ? Integer.parseInt(length.group(1)) : 0;
        if (text.startsWith("HTTP/1.1 100")) {
          all.reset();
          continue;
        }
        all.write(in.readNBytes(bodyLength));
        return all.toString(StandardCharsets.ISO_8859_1);
      }
    }
    return all.toString(StandardCharsets.ISO_8859_1);
  }

  /** Milliseconds since the connection was opened. */
  long ageMs() {
    return (System.nanoTime() - openedAtNanos) / 1_000_000;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
