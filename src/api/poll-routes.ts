import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { type PollInput, validatePoll } from '../polls/draft.js';
import { listedPollJson, pollJson, resultsCsv, resultsJson } from '../polls/export.js';
import { createPoll } from '../polls/manage.js';
import type { Poll } from '../polls/model.js';
import { renderOnce, resultsVariant } from '../polls/snapshot-memo.js';
import { HIDDEN_MESSAGES, hiddenResultsReason } from '../polls/visibility.js';
import type { Services } from '../services.js';
import { castVote } from '../votes/cast.js';
import { CREATE_BODY_LIMIT } from '../web/create-routes.js';
import { manageLinksFor } from '../web/links.js';
import type { RouteLimits } from '../web/rate-limit.js';
import { absoluteUrl } from '../web/respond.js';
import { bearerToken } from './auth.js';
import {
  createBody,
  createdResponse,
  errorResponses,
  listQuery,
  slugParams,
  voteBody,
} from './schemas.js';

type SlugRequest = FastifyRequest<{ Params: { slug: string } }>;

interface CreateBody {
  question: string;
  options: string[];
  kind: string;
  maxChoices?: number;
  resultsVisibility: string;
  closesAt?: string | null;
  public: boolean;
}

const readerOrManager: Array<Record<string, string[]>> = [{}, { manageToken: [] }];

export function pollApiRoutes(
  app: FastifyInstance,
  services: Services,
  limits: RouteLimits,
) {
  const load = async (request: SlugRequest): Promise<Poll> => {
    const poll = await services.polls.bySlug(request.params.slug);
    if (!poll)
      throw new AppError('poll_not_found', `there is no poll "${request.params.slug}"`);
    return poll;
  };

  /** The poll, once this caller may see its results. */
  const visibleResults = async (request: SlugRequest) => {
    const poll = await load(request);
    const viewer = services.voters.viewer(request, { manageToken: bearerToken(request) });
    const hidden = await hiddenResultsReason(services.db, poll, viewer);
    if (hidden) throw new AppError('results_hidden', HIDDEN_MESSAGES[hidden]);
    return { poll, results: await services.polls.results(poll.id) };
  };

  app.get<{ Querystring: { limit: number } }>(
    '/polls',
    {
      schema: {
        tags: ['polls'],
        summary: 'The newest public polls, newest first',
        querystring: listQuery,
        response: {
          200: {
            type: 'object',
            required: ['polls'],
            properties: { polls: { type: 'array', items: { $ref: 'PollListItem#' } } },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const polls = await services.polls.recent(request.query.limit);
      return { polls: polls.map(listedPollJson) };
    },
  );

  app.post<{ Body: CreateBody }>(
    '/polls',
    {
      config: limits.polls,
      bodyLimit: CREATE_BODY_LIMIT,
      // Shape errors and content errors answer alike: invalid_poll.
      attachValidation: true,
      schema: {
        tags: ['polls'],
        summary: 'Create a poll; the answer holds its management token, once',
        body: createBody,
        response: { 201: createdResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      if (request.validationError) {
        throw new AppError('invalid_poll', request.validationError.message);
      }
      const checked = validatePoll(toPollInput(request.body));
      if (!checked.ok) {
        throw new AppError(
          'invalid_poll',
          checked.errors.map((e) => e.message).join('; '),
        );
      }

      const created = await createPoll(services.db, checked.poll);
      services.polls.pollCreated();
      request.log.info({ slug: created.slug, via: 'api' }, 'poll created');
      const poll = await services.polls.bySlug(created.slug);
      if (!poll)
        throw new Error(`poll ${created.slug} vanished right after its creation`);
      const manage = manageLinksFor(created.slug, created.manageToken).page;
      reply.code(201).header('location', `/api/v1/polls/${created.slug}`);
      return {
        poll: pollJson(poll),
        links: {
          share: absoluteUrl(request, `/p/${created.slug}`),
          manage: absoluteUrl(request, manage),
        },
        manageToken: created.manageToken,
      };
    },
  );

  app.get<{ Params: { slug: string } }>(
    '/polls/:slug',
    {
      schema: {
        tags: ['polls'],
        summary: 'A poll and its options',
        params: slugParams,
        response: { 200: { $ref: 'Poll#' }, ...errorResponses },
      },
    },
    async (request) => pollJson(await load(request)),
  );

  app.get<{ Params: { slug: string } }>(
    '/polls/:slug/results',
    {
      schema: {
        tags: ['votes'],
        summary: 'Counts and percentages, when the poll lets this caller see them',
        description:
          'Refused with results_hidden (403) until the caller voted (after_vote) or the poll ' +
          'closed (after_close); the management token always sees them.',
        params: slugParams,
        security: readerOrManager,
        response: { 200: { $ref: 'Results#' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { poll, results } = await visibleResults(request);
      const body = renderOnce(results, resultsVariant.json(poll), () =>
        JSON.stringify(resultsJson(poll, results)),
      );
      return reply.type('application/json; charset=utf-8').send(body);
    },
  );

  app.get<{ Params: { slug: string } }>(
    '/polls/:slug/results.csv',
    {
      schema: {
        tags: ['votes'],
        summary: 'The results as CSV: option_id, label, votes, percent',
        params: slugParams,
        security: readerOrManager,
        response: {
          200: {
            description: 'CSV, UTF-8 with a byte order mark',
            content: { 'text/csv': { schema: { type: 'string' } } },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { poll, results } = await visibleResults(request);
      reply.header(
        'content-disposition',
        `attachment; filename="poll-${poll.slug}-results.csv"`,
      );
      return reply.type('text/csv; charset=utf-8').send(resultsCsv(results));
    },
  );

  app.post<{ Params: { slug: string }; Body: { choices: number[] } }>(
    '/polls/:slug/votes',
    {
      config: limits.votes,
      schema: {
        tags: ['votes'],
        summary: "Vote; the voter cookie in the answer is the voter's identity",
        params: slugParams,
        body: voteBody,
        response: {
          201: {
            type: 'object',
            required: ['accepted', 'choices'],
            properties: {
              accepted: { type: 'boolean' },
              choices: { type: 'array', items: { type: 'integer' } },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const poll = await load(request);
      const voter = services.voters.id(request, reply);
      const result = await castVote(services.votes, poll, voter, request.body.choices);
      if (!result.ok) throw new AppError(result.code);
      return reply.code(201).send({ accepted: true, choices: result.choices });
    },
  );
}

function toPollInput(body: CreateBody): PollInput {
  return {
    question: body.question,
    options: body.options,
    kind: body.kind,
    maxChoices: body.maxChoices ?? null,
    resultsVisibility: body.resultsVisibility,
    closesAt: body.closesAt ?? null,
    isPublic: body.public,
  };
}
