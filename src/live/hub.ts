import type { Logger } from 'pino';

/** The part of an HTTP response the hub writes to; a ServerResponse is one. */
export interface LiveSink {
  write(chunk: Buffer): boolean;
  readonly writableLength: number;
  end(): void;
  destroy(): void;
}

export interface LiveTopic {
  id: number;
  slug: string;
}

/** Reads a poll's results as the JSON text to send; undefined once the poll is gone. */
export type LiveLoader = (topic: LiveTopic) => Promise<string | undefined>;

export interface LiveHubOptions {
  /** How often each watched poll is read, for votes counted by other instances. */
  intervalMs?: number;
  /** Local commits push at once, but a poll is read at most this often. */
  minGapMs?: number;
  heartbeatMs?: number;
  /** The reconnection delay the stream asks browsers for. */
  retryMs?: number;
  /** A subscriber with more than this waiting in its send buffer is dropped. */
  maxBufferedBytes?: number;
  onRead?: () => void;
  onPush?: () => void;
}

interface Channel {
  topic: LiveTopic;
  sinks: Set<LiveSink>;
  timer: NodeJS.Timeout;
  soon?: NodeJS.Timeout;
  json?: string;
  frame?: Buffer;
  reading: boolean;
  again: boolean;
  lastReadAt: number;
}

const HEARTBEAT = Buffer.from(': keep-alive\n\n');

/**
 * Live results for every open stream of this process. Each poll that has at
 * least one subscriber is read by one timer, so the database sees one read
 * per watched poll per interval per instance however many people watch; a
 * changed result is framed once and the same bytes go to every subscriber.
 * Votes committed here push at once; votes committed by other instances
 * arrive with the next interval's read.
 */
export class LiveHub {
  readonly #channels = new Map<number, Channel>();
  readonly #load: LiveLoader;
  readonly #log: Logger;
  readonly #options: Required<Omit<LiveHubOptions, 'onRead' | 'onPush'>> & LiveHubOptions;
  readonly #preamble: Buffer;
  #heartbeat: NodeJS.Timeout | undefined;
  #subscribers = 0;
  #closed = false;

  constructor(load: LiveLoader, log: Logger, options: LiveHubOptions = {}) {
    this.#load = load;
    this.#log = log;
    this.#options = {
      intervalMs: 500,
      minGapMs: 100,
      heartbeatMs: 15_000,
      retryMs: 2_000,
      maxBufferedBytes: 256 * 1024,
      ...options,
    };
    this.#preamble = Buffer.from(`retry: ${this.#options.retryMs}\n\n`);
  }

  get subscribers(): number {
    return this.#subscribers;
  }

  get polls(): number {
    return this.#channels.size;
  }

  /**
   * Starts sending a poll's results to `sink`: the latest known at once (or
   * after the first read), then every change. Returns the way to stop.
   */
  subscribe(topic: LiveTopic, sink: LiveSink): () => void {
    if (this.#closed) {
      sink.end();
      return () => {};
    }
    const channel = this.#channels.get(topic.id) ?? this.#open(topic);
    channel.sinks.add(sink);
    this.#subscribers++;
    sink.write(this.#preamble);
    if (channel.frame) this.#send(channel, sink, channel.frame);
    this.#heartbeat ??= setInterval(
      () => this.#beat(),
      this.#options.heartbeatMs,
    ).unref();
    return () => this.#unsubscribe(channel, sink);
  }

  /** This process committed votes in these polls: read them again now. */
  votesCommitted(pollIds: number[]): void {
    for (const id of pollIds) {
      const channel = this.#channels.get(id);
      if (channel) this.#readSoon(channel);
    }
  }

  /** Ends every stream, so that a closing server is not held open by them. */
  close(): void {
    this.#closed = true;
    for (const channel of [...this.#channels.values()]) this.#endChannel(channel);
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }

  #open(topic: LiveTopic): Channel {
    const channel: Channel = {
      topic,
      sinks: new Set(),
      timer: setInterval(() => this.#read(channel), this.#options.intervalMs),
      reading: false,
      again: false,
      lastReadAt: 0,
    };
    channel.timer.unref();
    this.#channels.set(topic.id, channel);
    this.#read(channel);
    return channel;
  }

  #readSoon(channel: Channel) {
    if (channel.reading) {
      channel.again = true;
      return;
    }
    if (channel.soon) return;
    const wait = channel.lastReadAt + this.#options.minGapMs - Date.now();
    if (wait <= 0) return this.#read(channel);
    channel.soon = setTimeout(() => {
      channel.soon = undefined;
      this.#read(channel);
    }, wait);
  }

  #read(channel: Channel) {
    if (channel.reading) return;
    channel.reading = true;
    channel.lastReadAt = Date.now();
    this.#options.onRead?.();
    this.#load(channel.topic)
      .then(
        (json) => this.#publish(channel, json),
        (err) =>
          this.#log.warn({ err, poll: channel.topic.slug }, 'live results read failed'),
      )
      .finally(() => {
        channel.reading = false;
        if (channel.again && this.#isCurrent(channel)) {
          channel.again = false;
          this.#readSoon(channel);
        }
      });
  }

  #publish(channel: Channel, json: string | undefined) {
    if (!this.#isCurrent(channel)) return;
    if (json === undefined) return this.#endChannel(channel);
    if (json === channel.json) return;

    channel.json = json;
    channel.frame = Buffer.from(`event: results\ndata: ${json}\n\n`);
    this.#options.onPush?.();
    for (const sink of channel.sinks) this.#send(channel, sink, channel.frame);
  }

  /** A subscriber that stopped reading is dropped rather than buffered for. */
  #send(channel: Channel, sink: LiveSink, chunk: Buffer) {
    if (sink.writableLength > this.#options.maxBufferedBytes) {
      this.#unsubscribe(channel, sink);
      sink.destroy();
      return;
    }
    sink.write(chunk);
  }

  #beat() {
    for (const channel of this.#channels.values()) {
      for (const sink of channel.sinks) this.#send(channel, sink, HEARTBEAT);
    }
  }

  #unsubscribe(channel: Channel, sink: LiveSink) {
    if (!channel.sinks.delete(sink)) return;
    this.#subscribers--;
    if (channel.sinks.size === 0) this.#stop(channel);
  }

  #endChannel(channel: Channel) {
    const sinks = [...channel.sinks];
    for (const sink of sinks) this.#unsubscribe(channel, sink);
    for (const sink of sinks) sink.end();
    this.#stop(channel);
  }

  #stop(channel: Channel) {
    clearInterval(channel.timer);
    clearTimeout(channel.soon);
    if (this.#isCurrent(channel)) this.#channels.delete(channel.topic.id);
    if (this.#channels.size === 0) {
      clearInterval(this.#heartbeat);
      this.#heartbeat = undefined;
    }
  }

  #isCurrent(channel: Channel): boolean {
    return this.#channels.get(channel.topic.id) === channel;
  }
}
