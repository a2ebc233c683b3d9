import { type ClientRequest, request } from 'node:http';

export interface Connection {
  servedBy: string;
  openedAt: number;
  closedAt?: number;
}

export interface ResultsEvent {
  at: number;
  total: number;
  servedBy: string;
}

/**
 * A live-results viewer that behaves as a browser's EventSource does: it
 * reconnects after the stream ends or the network fails, waiting the
 * server's `retry:` delay, and gives up for good on an answer that is not a
 * 200 event stream (so a 503 during failover would show up here as the dead
 * page it would be in a browser).
 */
export class LiveViewer {
  readonly connections: Connection[] = [];
  readonly events: ResultsEvent[] = [];
  /** Why the viewer stopped for good, as EventSource would. */
  failure: string | undefined;
  readonly #url: string;
  #retryMs = 3_000;
  #request: ClientRequest | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(url: string) {
    this.#url = url;
  }

  open(): void {
    const req = request(this.#url, {
      agent: false,
      headers: { accept: 'text/event-stream', 'cache-control': 'no-cache' },
    });
    this.#request = req;
    req.on('response', (res) => {
      const type = String(res.headers['content-type'] ?? '');
      if (res.statusCode !== 200 || !type.startsWith('text/event-stream')) {
        this.failure = `answered ${res.statusCode} ${type}`;
        res.resume();
        return;
      }
      const connection = {
        servedBy: String(res.headers['x-served-by']),
        openedAt: Date.now(),
      };
      this.connections.push(connection);
      const parser = new EventStreamParser((event, data) =>
        this.#event(connection, event, data),
      );
      parser.onRetry = (ms) => {
        this.#retryMs = ms;
      };
      res.setEncoding('utf8');
      res.on('data', (text: string) => parser.push(text));
      res.on('close', () => this.#lost(connection));
    });
    req.on('error', () => this.#lost());
    req.end();
  }

  /** The instance serving the current stream, if one is open. */
  get servedBy(): string | undefined {
    const last = this.connections.at(-1);
    return last && last.closedAt === undefined ? last.servedBy : undefined;
  }

  latestTotal(): number {
    return this.events.at(-1)?.total ?? -1;
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#request?.destroy();
  }

  #event(connection: Connection, event: string, data: string) {
    if (event !== 'results') return;
    const total = Number((JSON.parse(data) as { total: number }).total);
    this.events.push({ at: Date.now(), total, servedBy: connection.servedBy });
  }

  #lost(connection?: Connection) {
    if (connection) connection.closedAt ??= Date.now();
    if (this.#closed || this.failure || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!this.#closed) this.open();
    }, this.#retryMs);
  }
}

/** The text/event-stream format: https://html.spec.whatwg.org/multipage/server-sent-events.html */
class EventStreamParser {
  onRetry: ((ms: number) => void) | undefined;
  readonly #dispatch: (event: string, data: string) => void;
  #buffer = '';
  #event = '';
  #data: string[] = [];

  constructor(dispatch: (event: string, data: string) => void) {
    this.#dispatch = dispatch;
  }

  push(text: string): void {
    this.#buffer += text;
    const lines = this.#buffer.split(/\r\n|\r|\n/);
    this.#buffer = lines.pop() ?? '';
    for (const line of lines) this.#line(line);
  }

  #line(line: string) {
    if (line === '') return this.#end();
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') this.#event = value;
    else if (field === 'data') this.#data.push(value);
    else if (field === 'retry' && /^\d+$/.test(value)) this.onRetry?.(Number(value));
  }

  #end() {
    if (this.#data.length > 0)
      this.#dispatch(this.#event || 'message', this.#data.join('\n'));
    this.#event = '';
    this.#data = [];
  }
}
