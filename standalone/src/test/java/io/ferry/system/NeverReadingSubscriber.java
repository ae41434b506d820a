package io.ferry.system;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket subscriber on a plain socket that completes the handshake and then reads nothing, with a small
 * receive buffer so that what the server sends piles up on the server's side, until {@link #drain} reads
 * what is left to see how the server ended the connection.
 */
final class NeverReadingSubscriber implements AutoCloseable {

  /** How the connection ended as the client saw it: the close code, or -1 when it ended without one. */
  record Ending(int closeCode, long framesRead) {
  }

  private final Socket socket;
  private final DataInputStream in;

  private NeverReadingSubscriber(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
  }

  /** Opens {@code uri} (path and query) with the bearer {@code token}; fails unless the upgrade succeeds. */
  static NeverReadingSubscriber open(int port, String uri, String token) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(10_000);
    NeverReadingSubscriber subscriber = new NeverReadingSubscriber(socket);
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    OutputStream out = socket.getOutputStream();
    out.write(("GET " + uri + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
        + Base64.getEncoder().encodeToString(nonce) + "\r\nAuthorization: Bearer " + token + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      head.write(subscriber.in.readUnsignedByte());
    }
    if (!head.toString(StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 101")) {
      socket.close();
      throw new IOException("upgrade refused: " + head);
    }
    return subscriber;
  }

  /** Reads everything the server still sends, until its close frame or the end of the connection. */
  Ending drain() throws IOException {
    long frames = 0;
    try {
      while (true) {
        int opcode = in.readUnsignedByte() & 0x0f;
        long length = in.readUnsignedByte() & 0x7f;
        if (length == 126) {
          length = in.readUnsignedShort();
        } else if (length == 127) {
          length = in.readLong();
        }
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        if (opcode == 0x8) {
          return new Ending(payload.length < 2 ? -1 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff), frames);
        }
        frames++;
      }
    } catch (EOFException | SocketException ended) {
      return new Ending(-1, frames);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
