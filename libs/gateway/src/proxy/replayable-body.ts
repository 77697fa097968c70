import type { IncomingMessage } from 'node:http';

/** Where a request body goes: the upstream connection, framed for it. */
export interface BodySink {
  /** False when the connection's buffer is full: wait for onDrain. */
  write(chunk: Buffer): boolean;
  end(): void;
  onDrain(listener: () => void): void;
}

/**
 * A client's request body streamed to one upstream request at a time, keeping a copy of the
 * first `limit` bytes so a retry can send it again. Bodies larger than the limit are streamed
 * without a copy and cannot be retried after they started. Backpressure flows both ways: the
 * client is paused while the upstream socket is full, and while no upstream is attached
 * (the request is held) beyond `limit` bytes.
 */
export class ReplayableBody {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private copying = true;
  private ended = false;
  private sink: BodySink | undefined;

  constructor(
    private readonly source: IncomingMessage,
    private readonly limit: number,
  ) {
    source.on('data', (chunk: Buffer) => this.onData(chunk));
    source.on('error', () => undefined); // a client gone mid-body is seen on the response's 'close'
    source.on('end', () => {
      this.ended = true;
      this.sink?.end();
    });
  }

  /** False once bytes were sent that are no longer kept. */
  get replayable(): boolean {
    return this.copying;
  }

  /** Sends everything kept so far to `sink`, then the rest as it arrives. */
  attach(sink: BodySink): void {
    this.sink = sink;
    for (const chunk of this.chunks) sink.write(chunk);
    if (this.ended) sink.end();
    else this.source.resume();
  }

  /** Stops sending to the current sink (its attempt failed). */
  detach(): void {
    this.sink = undefined;
    if (!this.ended && this.size >= this.limit) this.source.pause();
  }

  private onData(chunk: Buffer): void {
    this.size += chunk.length;
    const sink = this.sink;
    if (!sink) {
      // Held before the first attempt (or between attempts): keep it, and stop reading once
      // the limit is reached so a held request costs at most `limit` bytes plus one chunk.
      if (this.copying) this.chunks.push(chunk);
      if (this.size >= this.limit) this.source.pause();
      return;
    }
    if (this.copying && this.size <= this.limit) this.chunks.push(chunk);
    else if (this.copying) {
      this.copying = false;
      this.chunks.length = 0;
    }
    if (!sink.write(chunk)) {
      this.source.pause();
      sink.onDrain(() => {
        if (this.sink === sink) this.source.resume();
      });
    }
  }
}
