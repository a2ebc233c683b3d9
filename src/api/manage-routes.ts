import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { pollJson } from '../polls/export.js';
import { closePoll, deletePoll, isManager, reopenPoll } from '../polls/manage.js';
import type { Poll } from '../polls/model.js';
import type { Services } from '../services.js';
import { bearerToken } from './auth.js';
import { errorResponses, slugParams } from './schemas.js';

type SlugRequest = FastifyRequest<{ Params: { slug: string } }>;

const manager: Array<Record<string, string[]>> = [{ manageToken: [] }];

/** Close, reopen and delete: the poll's management token as a bearer token. */
export function manageApiRoutes(app: FastifyInstance, services: Services) {
  const authorize = async (request: SlugRequest, reply: FastifyReply): Promise<Poll> => {
    const poll = await services.polls.bySlug(request.params.slug);
    if (!poll)
      throw new AppError('poll_not_found', `there is no poll "${request.params.slug}"`);
    if (!(await isManager(services.db, poll.id, bearerToken(request)))) {
      reply.header('www-authenticate', 'Bearer realm="poll management"');
      throw new AppError('invalid_manage_token');
    }
    return poll;
  };

  /** The poll as it is now, read past the cache that the change made stale. */
  const changed = async (poll: Poll) => {
    services.polls.forget(poll.slug, poll.id);
    const fresh = await services.polls.bySlug(poll.slug);
    if (!fresh) throw new AppError('poll_not_found', `there is no poll "${poll.slug}"`);
    return pollJson(fresh);
  };

  const pollResponse = { 200: { $ref: 'Poll#' }, ...errorResponses };

  app.post<{ Params: { slug: string } }>(
    '/polls/:slug/close',
    {
      schema: {
        tags: ['manage'],
        summary: 'Stop taking votes (send no body)',
        params: slugParams,
        security: manager,
        response: pollResponse,
      },
    },
    async (request, reply) => {
      const poll = await authorize(request, reply);
      await closePoll(services.db, poll.id);
      request.log.info({ slug: poll.slug, action: 'closed', via: 'api' }, 'poll changed');
      return changed(poll);
    },
  );

  app.post<{ Params: { slug: string } }>(
    '/polls/:slug/reopen',
    {
      schema: {
        tags: ['manage'],
        summary:
          'Take votes again; a closing time already past is dropped (send no body)',
        params: slugParams,
        security: manager,
        response: pollResponse,
      },
    },
    async (request, reply) => {
      const poll = await authorize(request, reply);
      await reopenPoll(services.db, poll.id);
      request.log.info(
        { slug: poll.slug, action: 'reopened', via: 'api' },
        'poll changed',
      );
      return changed(poll);
    },
  );

  app.delete<{ Params: { slug: string } }>(
    '/polls/:slug',
    {
      schema: {
        tags: ['manage'],
        summary: 'Delete the poll and all its votes',
        params: slugParams,
        security: manager,
        response: { 204: { type: 'null', description: 'deleted' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const poll = await authorize(request, reply);
      await deletePoll(services.db, poll.id);
      services.polls.forget(poll.slug, poll.id);
      request.log.info(
        { slug: poll.slug, action: 'deleted', via: 'api' },
        'poll changed',
      );
      return reply.code(204).send();
    },
  );
}
