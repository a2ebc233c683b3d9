import { connect, type Socket } from 'node:net';

/**
 * A bare-bones SSE subscriber on a raw socket: thousands of them must fit in the
 * bench process, so each keeps only counters, never the stream's text.
 */
export interface Subscriber {
  socket: Socket;
  status: number;
  /** `results` events seen so far. */
  events: number;
  /** performance.now() of the first event after the last clearArrivals(). */
  arrivedAt?: number;
  /** Unparsed tail of the stream, short enough to hold one split event name. */
  tail: string;
}

const EVENT = /event: ?results\r?\n/g;
const TAIL = 24;

/** Opens one subscription; resolves once the status line is read. */
export function subscribe(port: number, path: string): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const sub: Subscriber = { socket, status: 0, events: 0, tail: '' };
    socket.setEncoding('utf8');
    socket.once('error', reject);
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`,
    );

    socket.on('data', (chunk: string) => {
      const text = sub.tail + chunk;
      if (sub.status === 0) {
        sub.status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? -1);
        resolve(sub);
      }
      countEvents(sub, text);
    });
    socket.once('close', () => {
      if (sub.status === 0) reject(new Error('closed before a status line'));
    });
  });
}

function countEvents(sub: Subscriber, text: string): void {
  let end = 0;
  for (const match of text.matchAll(EVENT)) {
    sub.events++;
    sub.arrivedAt ??= performance.now();
    end = (match.index ?? 0) + match[0].length;
  }
  sub.tail = text.slice(Math.max(end, text.length - TAIL));
}

export interface Subscribed {
  subscribers: Subscriber[];
  /** One message per failed connection (only the first few are kept). */
  failures: string[];
  failed: number;
}

/** Opens `count` subscriptions, `batch` at a time so the listen backlog never overflows. */
export async function subscribeMany(
  port: number,
  path: string,
  count: number,
  batch = 500,
): Promise<Subscribed> {
  const result: Subscribed = { subscribers: [], failures: [], failed: 0 };
  for (let opened = 0; opened < count; opened += batch) {
    const size = Math.min(batch, count - opened);
    const settled = await Promise.allSettled(
      Array.from({ length: size }, () => subscribe(port, path)),
    );
    for (const s of settled) {
      if (s.status === 'fulfilled' && s.value.status === 200) {
        result.subscribers.push(s.value);
        continue;
      }
      result.failed++;
      const why = s.status === 'rejected' ? String(s.reason) : `status ${s.value.status}`;
      if (result.failures.length < 5) result.failures.push(why);
      if (s.status === 'fulfilled') s.value.socket.destroy();
    }
  }
  return result;
}

export function clearArrivals(subscribers: Subscriber[]): void {
  for (const sub of subscribers) sub.arrivedAt = undefined;
}

export function closeAll(subscribers: Subscriber[]): void {
  for (const sub of subscribers) sub.socket.destroy();
}
