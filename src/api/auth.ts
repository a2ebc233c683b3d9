import type { FastifyRequest } from 'fastify';

/** The token of an `Authorization: Bearer <token>` header, if there is one. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const match = /^Bearer +([\w~+/.=-]{1,200})$/i.exec(
    request.headers.authorization ?? '',
  );
  return match?.[1];
}
