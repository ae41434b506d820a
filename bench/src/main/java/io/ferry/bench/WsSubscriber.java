package io.ferry.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One Sonya WebSocket subscriber ({@code GET /queue/listen/ws/<queue>}). Every frame carries the bench's
 * publish index {@code bench_i} and send time {@code bench_t} (System.nanoTime of the publishing JVM: on Linux
 * CLOCK_MONOTONIC, the same in the subscribers' own JVM) in its payload;
 * the subscriber checks the indices arrive exactly once and in order, and records publish → frame latency
 * for frames published inside the current window. Frame fields are touched on the socket's event loop; the
 * window's figures are swapped out under the lock by the main thread.
 *
 * <p>It speaks WebSocket over a bare Netty channel ({@link Connector}): the upgrade request is written as
 * bytes, and the server's frames are read where they lie in the read buffer, with no frame objects, no
 * context hop and no copy but one of each text payload. Vert.x's WebSocket client spent about 40 % of the
 * subscribers' CPU in its decoder and dispatch, on the same two cores Ferry has.
 */
final class WsSubscriber {

  /** A measured window of publish times, [from, to) in System.nanoTime. */
  record Window(long from, long to) {

    boolean contains(long t) {
      return t >= from && t < to;
    }
  }

  private static final Window NONE = new Window(0, 0);
  private static final int CONNECT_TIMEOUT_MS = 30_000;
  private static final int HANDSHAKE_TIMEOUT_MS = 30_000;
  private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private volatile Channel channel;
  private volatile boolean open;
  private volatile String closedWith;
  private volatile Window window = NONE;
  // Pushes run concurrently on pooled connections, so publish indices may be committed out of their order:
  // exactly-once is checked on the indices, ordering on Ferry's per-queue sequence.
  private final BitSet seen = new BitSet();
  private long lastSequence = -1;
  private volatile long received;
  private volatile long distinct;
  private volatile long duplicates;
  private volatile long outOfOrder;
  private long windowFrames;
  private LatencyHistogram windowLatency = new LatencyHistogram();
  // One text payload at a time, copied out of the read buffer for the field scans.
  private byte[] text = new byte[512];

  /** The event loops and socket options of many subscribers to one server. */
  static final class Connector implements AutoCloseable {

    private final EventLoopGroup loops;
    private final Endpoint endpoint;

    Connector(Endpoint endpoint, int eventLoops) {
      this.endpoint = endpoint;
      this.loops = new MultiThreadIoEventLoopGroup(eventLoops, NioIoHandler.newFactory());
    }

    /** Connects and upgrades; completes once the server answered 101 with the right accept key. */
    CompletableFuture<WsSubscriber> open(String queueName) {
      WsSubscriber subscriber = new WsSubscriber();
      CompletableFuture<WsSubscriber> opened = new CompletableFuture<>();
      String key = Base64.getEncoder().encodeToString(randomBytes(16));
      String request = "GET /queue/listen/ws/" + queueName + "?access_token=" + endpoint.token() + " HTTP/1.1\r\n"
          + "Host: " + endpoint.host() + ":" + endpoint.port() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
      new Bootstrap().group(loops).channel(NioSocketChannel.class)
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
          .option(ChannelOption.TCP_NODELAY, true)
          .handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              ch.pipeline().addLast(subscriber.new Frames(request, acceptFor(key), opened));
            }
          })
          .connect(endpoint.host(), endpoint.port())
          .addListener((ChannelFutureListener) connected -> {
            if (!connected.isSuccess()) {
              opened.completeExceptionally(connected.cause());
            }
          });
      return opened;
    }

    @Override
    public void close() {
      loops.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
  }

  static String acceptFor(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1")
          .digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    ThreadLocalRandom.current().nextBytes(bytes);
    return bytes;
  }

  /**
   * The channel's only handler: writes the upgrade request, reads the answer's head, then the server's frames
   * (unmasked, as a server's must be). Bytes of a head or frame not yet complete wait in {@code pending}.
   */
  final class Frames extends ChannelInboundHandlerAdapter {

    private final String request;
    private final String accept;
    private final CompletableFuture<WsSubscriber> opened;
    private ByteBuf pending;
    private boolean upgraded;
    private boolean inactive;

    Frames(String request, String accept, CompletableFuture<WsSubscriber> opened) {
      this.request = request;
      this.accept = accept;
      this.opened = opened;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      channel = ctx.channel();
      ctx.writeAndFlush(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
      ctx.executor().schedule(() -> {
        if (!upgraded && opened.completeExceptionally(new IllegalStateException("no upgrade within "
            + HANDSHAKE_TIMEOUT_MS + " ms"))) {
          ctx.close();
        }
      }, HANDSHAKE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg;
      ByteBuf buf = in;
      if (pending != null) {
        pending.writeBytes(in);
        in.release();
        buf = pending;
      }
      try {
        if (upgraded || readUpgrade(ctx, buf)) {
          readFrames(ctx, buf);
        }
      } catch (RuntimeException broken) {
        buf.skipBytes(buf.readableBytes());
        opened.completeExceptionally(broken);
        closedWith = "bench subscriber: " + broken.getMessage();
        ctx.close();
      }
      keepRest(buf);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (closedWith == null) {
        closedWith = "1006 closed without a close frame";
      }
      open = false;
      opened.completeExceptionally(new IllegalStateException("connection closed before the upgrade"));
      inactive = true;
      if (pending != null) {
        pending.release();
        pending = null;
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      opened.completeExceptionally(cause);
      ctx.close();
    }

    private void keepRest(ByteBuf buf) {
      if (inactive) {
        if (buf.refCnt() > 0) {
          buf.release();
        }
        pending = null;
      } else if (!buf.isReadable()) {
        buf.release();
        pending = null;
      } else if (buf == pending) {
        pending.discardSomeReadBytes();
      } else {
        pending = Unpooled.buffer(Math.max(1024, buf.readableBytes() * 2));
        pending.writeBytes(buf);
        buf.release();
      }
    }

    // False while the answer's head is incomplete. Anything but 101 with the right accept key fails the open.
    private boolean readUpgrade(ChannelHandlerContext ctx, ByteBuf buf) {
      int end = headEnd(buf);
      if (end < 0) {
        if (buf.readableBytes() > 16_384) {
          throw new IllegalStateException("no end to the upgrade answer's head in 16 kB");
        }
        return false;
      }
      String head = buf.toString(buf.readerIndex(), end - buf.readerIndex(), StandardCharsets.ISO_8859_1);
      buf.readerIndex(end + 4);
      String statusLine = head.substring(0, Math.max(0, head.indexOf("\r\n")));
      if (!statusLine.startsWith("HTTP/1.1 101")) {
        throw new IllegalStateException("upgrade refused: " + statusLine);
      }
      if (!head.toLowerCase(java.util.Locale.ROOT).contains("\r\nsec-websocket-accept: " + accept.toLowerCase(
          java.util.Locale.ROOT))) {
        throw new IllegalStateException("wrong or missing Sec-WebSocket-Accept in: " + head);
      }
      upgraded = true;
      open = true;
      opened.complete(WsSubscriber.this);
      return true;
    }

    private static int headEnd(ByteBuf buf) {
      for (int i = buf.readerIndex(), last = buf.writerIndex() - 4; i <= last; i++) {
        if (buf.getByte(i) == '\r' && buf.getByte(i + 1) == '\n' && buf.getByte(i + 2) == '\r'
            && buf.getByte(i + 3) == '\n') {
          return i;
        }
      }
      return -1;
    }

    private void readFrames(ChannelHandlerContext ctx, ByteBuf buf) {
      while (buf.readableBytes() >= 2) {
        int start = buf.readerIndex();
        int first = buf.getUnsignedByte(start);
        int second = buf.getUnsignedByte(start + 1);
        if ((second & 0x80) != 0) {
          throw new IllegalStateException("a masked frame from the server");
        }
        long length = second & 0x7F;
        int header = 2;
        if (length == 126) {
          if (buf.readableBytes() < 4) {
            return;
          }
          length = buf.getUnsignedShort(start + 2);
          header = 4;
        } else if (length == 127) {
          if (buf.readableBytes() < 10) {
            return;
          }
          length = buf.getLong(start + 2);
          header = 10;
        }
        if (length < 0 || length > 16 << 20) {
          throw new IllegalStateException("a frame of " + length + " bytes");
        }
        if (buf.readableBytes() < header + length) {
          return;
        }
        int payload = start + header;
        buf.readerIndex(payload + (int) length);
        boolean fin = (first & 0x80) != 0;
        switch (first & 0x0F) {
          case 0x1 -> {
            if (!fin) {
              throw new IllegalStateException("a fragmented text frame (Ferry sends each message whole)");
            }
            onFrame(buf, payload, (int) length);
          }
          case 0x9 -> ctx.writeAndFlush(clientFrame(0xA, buf, payload, (int) length));
          case 0x8 -> {
            closedWith = length < 2 ? "1005 (no code)" : buf.getUnsignedShort(payload) + " "
                + buf.toString(payload + 2, (int) length - 2, StandardCharsets.UTF_8);
            ctx.writeAndFlush(clientFrame(0x8, buf, payload, (int) Math.min(length, 2)))
                .addListener(ChannelFutureListener.CLOSE);
            return;
          }
          default -> {
            // pongs; binary and continuation frames are never sent on this route
          }
        }
      }
    }
  }

  /** A final frame from the client, masked as a client's must be, carrying {@code length} bytes of {@code from}. */
  private static ByteBuf clientFrame(int opcode, ByteBuf from, int at, int length) {
    ByteBuf frame = Unpooled.buffer(6 + length);
    frame.writeByte(0x80 | opcode).writeByte(0x80 | length);
    byte[] mask = randomBytes(4);
    frame.writeBytes(mask);
    for (int i = 0; i < length; i++) {
      frame.writeByte(from.getByte(at + i) ^ mask[i & 3]);
    }
    return frame;
  }

  boolean isOpen() {
    return open;
  }

  /** The close code and reason Ferry gave (or how the connection ended without one), or null while open. */
  String closedWith() {
    return closedWith;
  }

  void close() {
    Channel ch = channel;
    if (ch != null && open) {
      ByteBuf normal = Unpooled.buffer(2).writeShort(1000);
      ch.writeAndFlush(clientFrame(0x8, normal, 0, 2)).addListener(ChannelFutureListener.CLOSE);
    }
  }

  void window(Window next) {
    window = next;
  }

  /** Frames published inside the window and their latency so far; starts afresh. */
  synchronized WindowFigures takeWindow() {
    WindowFigures figures = new WindowFigures(windowFrames, windowLatency);
    windowFrames = 0;
    windowLatency = new LatencyHistogram();
    return figures;
  }

  record WindowFigures(long frames, LatencyHistogram latency) {
  }

  long received() {
    return received;
  }

  /** Different publish indices received. */
  long distinct() {
    return distinct;
  }

  /** Frames whose publish index had been received before. */
  long duplicates() {
    return duplicates;
  }

  /** Frames whose sequence was not above the previous frame's. */
  long outOfOrder() {
    return outOfOrder;
  }

  private static final byte[] BENCH_I = "\"bench_i\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] BENCH_T = "\"bench_t\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SEQUENCE = "\"sequence\":".getBytes(StandardCharsets.US_ASCII);

  private void onFrame(ByteBuf buf, int at, int length) {
    long now = System.nanoTime();
    if (text.length < length) {
      text = new byte[Math.max(length, text.length * 2)];
    }
    buf.getBytes(at, text, 0, length);
    long sequence = field(text, length, SEQUENCE);
    long i = field(text, length, BENCH_I);
    long t = field(text, length, BENCH_T);
    received++;
    if (i >= 0 && seen.get((int) i)) {
      duplicates++;
    } else if (i >= 0) {
      seen.set((int) i);
      distinct++;
    }
    if (sequence <= lastSequence) {
      outOfOrder++;
    }
    lastSequence = sequence;
    if (window.contains(t)) {
      synchronized (this) {
        windowFrames++;
        windowLatency.recordNanos(now - t);
      }
    }
  }

  static long field(byte[] text, byte[] key) {
    return field(text, text.length, key);
  }

  /**
   * The integer after {@code key} in the first {@code length} UTF-8 bytes of a frame (the keys are ASCII); a
   * scan rather than a JSON parse, since 1,000 subscribers parse 100k+ frames/s on the same two cores as
   * Ferry. -1 when absent.
   */
  static long field(byte[] text, int length, byte[] key) {
    int at = -1;
    byte first = key[0];
    search:
    for (int start = 0, last = length - key.length; start <= last; start++) {
      if (text[start] != first) {
        continue;
      }
      for (int k = 1; k < key.length; k++) {
        if (text[start + k] != key[k]) {
          continue search;
        }
      }
      at = start;
      break;
    }
    if (at < 0) {
      return -1;
    }
    int pos = at + key.length;
    while (pos < length && text[pos] == ' ') {
      pos++;
    }
    boolean negative = pos < length && text[pos] == '-';
    if (negative) {
      pos++;
    }
    long value = 0;
    for (; pos < length; pos++) {
      byte c = text[pos];
      if (c < '0' || c > '9') {
        break;
      }
      value = value * 10 + (c - '0');
    }
    return negative ? -value : value;
  }
}
