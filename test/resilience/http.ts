import { Agent, type IncomingHttpHeaders, request } from 'node:http';

/** How one request ended: an HTTP status, or the network error that stopped it. */
export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** Set when no response came: ECONNRESET, ECONNREFUSED, timeout… */
  error?: string;
}

export interface Send {
  method?: string;
  body?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * A keep-alive client like a browser's: a few sockets reused across
 * requests, so that connections cut by the balancer or an instance show up
 * as the errors a real user would see. Never throws: errors are answers.
 */
export function client(maxSockets: number) {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const send = (url: string, options: Send = {}) =>
    new Promise<Answer>((resolve) => {
      const req = request(url, {
        method: options.method ?? 'GET',
        headers: options.headers,
        agent,
      });
      req.setTimeout(options.timeoutMs ?? 15_000, () => req.destroy(new TimeoutError()));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', (err) => resolve(failed(err)));
      });
      req.on('error', (err) => resolve(failed(err)));
      req.end(options.body);
    });
  return { send, close: () => agent.destroy() };
}

class TimeoutError extends Error {
  readonly code = 'TIMEOUT';
}

function failed(err: NodeJS.ErrnoException): Answer {
  return { status: 0, headers: {}, body: '', error: err.code ?? err.message };
}

/** A short name for how a request ended, for the tallies: "ok", "503+retry-after", "ECONNRESET"… */
export function outcomeOf(answer: Answer): string {
  if (answer.error) return answer.error;
  if (answer.status >= 200 && answer.status < 300) return 'ok';
  if (answer.status === 503) {
    const who = answer.headers['x-served-by'] ? 'app' : 'balancer';
    const hint = answer.headers['retry-after'] ? '+retry-after' : '';
    return `503-${who}${hint}`;
  }
  return String(answer.status);
}
