package io.ferry.contracts.runtime;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Vert.x's HTTP/1.x request decoder, refusing what a proxy in front could frame differently than Ferry does
 * (request smuggling): {@code Content-Length} together with {@code Transfer-Encoding}, any
 * {@code Transfer-Encoding} other than exactly {@code chunked}, and obs-folded header lines (a line starting
 * with a space or tab continues the previous header: Netty joins them, many proxies do not). Each becomes an
 * invalid request, which {@link RequestGate#answerInvalid} answers with 400 and a closed connection.
 * Also tells {@link ConnectionDeadlines} when the first byte of a request arrives.
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {

  private enum Head { BEFORE_REQUEST_LINE, REQUEST_LINE, LINE_START, HEADER_LINE, CR, DONE }

  private static final int MAX_KEPT_REQUEST_LINE = 8192;

  private final Runnable onRequestStarted;
  private Head head = Head.BEFORE_REQUEST_LINE;
  /** Bytes from the reader index on already scanned by {@link #scanHead} (the decoder consumes whole lines). */
  private int scanned;
  private byte[] requestLine = new byte[128];
  private int requestLineLength;
  private boolean refused;

  StrictRequestDecoder(HttpServerOptions options, Runnable onRequestStarted) {
    super(options);
    this.onRequestStarted = onRequestStarted;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
    if (refused) {
      buffer.skipBytes(buffer.readableBytes());
      return;
    }
    if (head != Head.DONE && !scanHead(buffer)) {
      refused = true;
      buffer.skipBytes(buffer.readableBytes());
      out.add(foldedRequest());
      return;
    }
    int before = buffer.readerIndex();
    int emitted = out.size();
    super.decode(ctx, buffer, out);
    scanned = Math.max(0, scanned - (buffer.readerIndex() - before));
    for (int i = emitted; i < out.size(); i++) {
      if (out.get(i) instanceof DecoderResultProvider message && message.decoderResult().isFailure()) {
        // Netty discards the rest of the connection's input from here on; so do we.
        refused = true;
      }
      if (out.get(i) instanceof LastHttpContent) {
        // The next byte starts the next request.
        head = Head.BEFORE_REQUEST_LINE;
        scanned = 0;
        requestLineLength = 0;
      }
    }
  }

  /**
   * Advances the header scan over the bytes not yet seen; false on an obs-folded or whitespace-led line. Within
   * a line it jumps to the line's end ({@link ByteBuf#indexOf}) rather than looking at each byte: the scan sees
   * every request's head, and a byte at a time (the request line appended a char at a time) was 1-2 % of a
   * push's CPU.
   */
  private boolean scanHead(ByteBuf buffer) {
    int end = buffer.writerIndex();
    int first = buffer.readerIndex() + scanned;
    int i = first;
    while (i < end && head != Head.DONE) {
      switch (head) {
        case BEFORE_REQUEST_LINE -> {
          if (i == first) {
            onRequestStarted.run();
          }
          byte b = buffer.getByte(i);
          if (b != '\r' && b != '\n') {
            head = Head.REQUEST_LINE;
          } else {
            i++;
          }
        }
        case REQUEST_LINE -> {
          int lineEnd = buffer.indexOf(i, end, (byte) '\n');
          keep(buffer, i, lineEnd < 0 ? end : lineEnd);
          if (lineEnd < 0) {
            i = end;
          } else {
            head = Head.LINE_START;
            i = lineEnd + 1;
          }
        }
        case LINE_START -> {
          byte b = buffer.getByte(i++);
          if (b == ' ' || b == '\t') {
            return false;
          }
          head = b == '\n' ? Head.DONE : b == '\r' ? Head.CR : Head.HEADER_LINE;
        }
        case CR -> head = buffer.getByte(i++) == '\n' ? Head.DONE : Head.HEADER_LINE;
        case HEADER_LINE -> {
          int lineEnd = buffer.indexOf(i, end, (byte) '\n');
          if (lineEnd < 0) {
            i = end;
          } else {
            head = Head.LINE_START;
            i = lineEnd + 1;
          }
        }
        default -> i = end;
      }
    }
    scanned = end - buffer.readerIndex();
    return true;
  }

  // The request line's bytes from..to, up to MAX_KEPT_REQUEST_LINE of them (the '\r' is dropped when read).
  private void keep(ByteBuf buffer, int from, int to) {
    int length = Math.min(to - from, MAX_KEPT_REQUEST_LINE - requestLineLength);
    if (length <= 0) {
      return;
    }
    if (requestLineLength + length > requestLine.length) {
      requestLine = Arrays.copyOf(requestLine,
          Math.min(MAX_KEPT_REQUEST_LINE, Math.max(requestLineLength + length, requestLine.length * 2)));
    }
    buffer.getBytes(from, requestLine, requestLineLength, length);
    requestLineLength += length;
  }

  // A request carrying the real method and URI, so that the 400 is written in the format of the path's dialect.
  private HttpRequest foldedRequest() {
    String line = new String(requestLine, 0, requestLineLength, StandardCharsets.ISO_8859_1).replace("\r", "");
    String[] parts = line.split(" ");
    String uri = parts.length >= 2 && parts[1].startsWith("/") ? parts[1] : "/";
    HttpMethod method;
    try {
      method = HttpMethod.valueOf(parts[0]);
    } catch (RuntimeException notAMethod) {
      method = HttpMethod.GET;
    }
    DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri,
        Unpooled.EMPTY_BUFFER);
    request.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(
        "a header line starts with whitespace (obs-fold); send each header on one line")));
    return request;
  }

  @Override
  protected boolean isContentAlwaysEmpty(HttpMessage msg) {
    if (msg == null) {
      return super.isContentAlwaysEmpty(null);
    }
    List<String> encodings = msg.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
    if (!encodings.isEmpty()) {
      if (encodings.size() != 1 || !encodings.get(0).trim().equalsIgnoreCase("chunked")) {
        throw new IllegalArgumentException("Transfer-Encoding must be exactly 'chunked', got " + encodings);
      }
      if (msg.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
        throw new IllegalArgumentException("Content-Length and Transfer-Encoding together; send only one");
      }
      if (!msg.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
        throw new IllegalArgumentException("Transfer-Encoding requires HTTP/1.1");
      }
    }
    return super.isContentAlwaysEmpty(msg);
  }
}
