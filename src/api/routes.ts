import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import type { Poll, Results } from '../polls/model.js';
import { isOpen } from '../polls/model.js';
import type { Services } from '../services.js';
import { castVote } from '../votes/cast.js';
import { voterId } from '../web/voter.js';

interface SlugParams {
  slug: string;
}

const slugParams = {
  type: 'object',
  properties: { slug: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,32}$' } },
  required: ['slug'],
} as const;

const voteBody = {
  type: 'object',
  properties: {
    choices: {
      type: 'array',
      items: { type: 'integer', minimum: 1, maximum: 1000 },
      minItems: 1,
      maxItems: 20,
    },
  },
  required: ['choices'],
  additionalProperties: false,
} as const;

/** The JSON API, version 1. It takes JSON bodies only. */
export async function apiRoutes(app: FastifyInstance, services: Services) {
  app.removeContentTypeParser(['text/plain']);

  const loadPoll = async (request: FastifyRequest<{ Params: SlugParams }>) => {
    const poll = await services.polls.bySlug(request.params.slug);
    if (!poll)
      throw new AppError('poll_not_found', `there is no poll "${request.params.slug}"`);
    return poll;
  };

  app.get<{ Params: SlugParams }>(
    '/polls/:slug',
    { schema: { params: slugParams } },
    async (req) => pollJson(await loadPoll(req)),
  );

  app.get<{ Params: SlugParams }>(
    '/polls/:slug/results',
    { schema: { params: slugParams } },
    async (request) => {
      const poll = await loadPoll(request);
      return resultsJson(poll, await services.polls.results(poll.id));
    },
  );

  app.post<{ Params: SlugParams; Body: { choices: number[] } }>(
    '/polls/:slug/votes',
    { schema: { params: slugParams, body: voteBody } },
    async (request, reply) => {
      const poll = await loadPoll(request);
      const voter = voterId(request, reply);
      const result = await castVote(services.votes, poll, voter, request.body.choices);
      if (!result.ok) throw new AppError(result.code);
      return reply.code(201).send({ accepted: true, choices: result.choices });
    },
  );
}

export function pollJson(poll: Poll) {
  return {
    slug: poll.slug,
    title: poll.title,
    question: poll.question,
    kind: poll.kind,
    maxChoices: poll.maxChoices,
    resultsVisibility: poll.resultsVisibility,
    open: isOpen(poll),
    closesAt: poll.closesAt === null ? null : new Date(poll.closesAt).toISOString(),
    createdAt: new Date(poll.createdAt).toISOString(),
    options: poll.options,
  };
}

export function resultsJson(poll: Poll, results: Results) {
  return {
    poll: pollJson(poll),
    options: results.options,
    ballots: results.ballots,
    total: results.total,
  };
}
