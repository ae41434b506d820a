package io.ferry.gateway.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.AbstractList;
import java.util.List;

/**
 * The frames of one published batch, in sequence order, with their WebSocket frames also laid end to end in
 * ONE direct buffer: a socket that takes the whole batch (no id filter, nothing of it sent before) writes a
 * view of that buffer, one write and no copy per socket, where frame by frame it would cost a pass through
 * the channel pipeline per frame and a copy of each heap frame into direct memory. The buffer is reference
 * counted: {@link Feed} retains it for each event loop it hands the batch to and releases it after; a socket
 * only reads it within that hand-over, and its write holds a view retained until the bytes have left.
 */
public final class FrameBatch extends AbstractList<Frame> {

  private final List<Frame> frames;
  private final ByteBuf wire;
  private final long bytes;

  private FrameBatch(List<Frame> frames, ByteBuf wire, long bytes) {
    this.frames = frames;
    this.wire = wire;
    this.bytes = bytes;
  }

  /** The frames (not empty) and their joint wire bytes, owned by the caller until {@link #release()}. */
  static FrameBatch of(List<Frame> frames) {
    int size = 0;
    for (Frame frame : frames) {
      size += frame.wire().readableBytes();
    }
    ByteBuf wire = ByteBufAllocator.DEFAULT.directBuffer(size);
    for (Frame frame : frames) {
      wire.writeBytes(frame.wire(), frame.wire().readerIndex(), frame.wire().readableBytes());
    }
    return new FrameBatch(List.copyOf(frames), wire, Frame.bytesOf(frames));
  }

  @Override
  public Frame get(int index) {
    return frames.get(index);
  }

  @Override
  public int size() {
    return frames.size();
  }

  /** What the whole batch costs a socket to hold, as {@link Frame#bytes()} counts. */
  public long bytes() {
    return bytes;
  }

  long firstSequence() {
    return frames.get(0).sequence();
  }

  long lastSequence() {
    return frames.get(frames.size() - 1).sequence();
  }

  /** A view of the joint wire bytes for one socket's write, which releases it. */
  public ByteBuf wireForOneSocket() {
    return wire.retainedDuplicate();
  }

  void retain() {
    wire.retain();
  }

  void release() {
    wire.release();
  }

  // A list like any other: equal to a list of the same frames (AbstractList), which is what tests compare.
  @Override
  public boolean equals(Object other) {
    return super.equals(other);
  }

  @Override
  public int hashCode() {
    return super.hashCode();
  }
}
