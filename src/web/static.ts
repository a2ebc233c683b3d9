import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

const PUBLIC_DIR = new URL('../../public/', import.meta.url);

const TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
};

/** The few assets the pages use, read once and served from memory: no CDN, works offline. */
export async function staticRoutes(app: FastifyInstance, files: string[]) {
  for (const name of files) {
    const body = readFileSync(new URL(name, PUBLIC_DIR));
    const type =
      TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
    app.get(`/static/${name}`, async (_request, reply) =>
      reply.type(type).header('cache-control', 'public, max-age=3600').send(body),
    );
  }
}
