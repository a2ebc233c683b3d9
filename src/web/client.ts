import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import proxyAddr from '@fastify/proxy-addr';

/** Who sent a request and where it was sent, as Fastify's request reports them. */
export interface Client {
  ip: string;
  /** The host (and port) the client asked for. */
  host: string;
  /** `https` when the client's connection (to us, or to the trusted proxy) was. */
  protocol: string;
}

const TRUST_ALL = () => true;

/**
 * The client of a request answered before Fastify builds its own request
 * object. With `trustProxy` (TRUST_PROXY=true) the X-Forwarded-* headers win
 * as they do in Fastify: the first forwarded address, and the last
 * forwarded host and protocol.
 */
export function clientOf(req: IncomingMessage, trustProxy: boolean): Client {
  const socketProtocol = (req.socket as TLSSocket).encrypted ? 'https' : 'http';
  const host = req.headers.host ?? '';
  if (!trustProxy) {
    return { ip: req.socket.remoteAddress ?? '', host, protocol: socketProtocol };
  }
  const forwardedHost = header(req, 'x-forwarded-host');
  const forwardedProto = header(req, 'x-forwarded-proto');
  return {
    ip: proxyAddr.all(req, TRUST_ALL).at(-1) ?? '',
    host: forwardedHost ? lastEntry(forwardedHost) : host,
    protocol: forwardedProto ? lastEntry(forwardedProto) : socketProtocol,
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** A header sent more than once arrives comma-joined; the nearest hop's value is last. */
function lastEntry(value: string): string {
  return value.slice(value.lastIndexOf(',') + 1).trim();
}
