import { Agent, request } from 'node:http';

export interface HttpResult {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A small real-HTTP client over keep-alive sockets, for tests that need the network. */
export function httpClient(maxSockets: number) {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const send = (
    base: string,
    path: string,
    {
      method = 'GET',
      body,
      headers = {},
    }: { method?: string; body?: string; headers?: Record<string, string> } = {},
  ) =>
    new Promise<HttpResult>((resolve, reject) => {
      const req = request(new URL(path, base), { method, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString(),
            headers: res.headers,
          }),
        );
      });
      req.on('error', reject);
      req.end(body);
    });
  return { send, close: () => agent.destroy() };
}

export const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };
