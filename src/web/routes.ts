import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { DEFAULT_POLL_SLUG, type Poll } from '../polls/model.js';
import type { Services } from '../services.js';
import { castVote } from '../votes/cast.js';
import { introPage, resultsPage, votePage } from './pages/poll-pages.js';
import { voterId } from './voter.js';

interface SlugParams {
  slug?: string;
}

/** The original app's pages for the default poll, and the same pages for every poll. */
export async function pageRoutes(app: FastifyInstance, services: Services) {
  const ctx = { servedBy: services.config.servedBy };

  const loadPoll = async (request: FastifyRequest<{ Params: SlugParams }>) => {
    const slug = request.params.slug ?? DEFAULT_POLL_SLUG;
    const poll = await services.polls.bySlug(slug);
    if (!poll) throw new AppError('poll_not_found', `there is no poll "${slug}"`);
    return poll;
  };

  const sendPage = (reply: FastifyReply, page: string, status = 200) =>
    reply.code(status).type('text/html; charset=utf-8').send(page);

  const intro = async (
    request: FastifyRequest<{ Params: SlugParams }>,
    reply: FastifyReply,
  ) => {
    const poll = await loadPoll(request);
    return sendPage(reply, introPage(ctx, poll, linksFor(poll)));
  };

  const showVote = async (
    request: FastifyRequest<{ Params: SlugParams }>,
    reply: FastifyReply,
  ) => {
    const poll = await loadPoll(request);
    voterId(request, reply);
    return sendPage(reply, votePage(ctx, poll, linksFor(poll)));
  };

  const showResults = async (
    request: FastifyRequest<{ Params: SlugParams }>,
    reply: FastifyReply,
  ) => {
    const poll = await loadPoll(request);
    const results = await services.polls.results(poll.id);
    return sendPage(reply, resultsPage(ctx, poll, results, linksFor(poll)));
  };

  const vote = async (
    request: FastifyRequest<{ Params: SlugParams }>,
    reply: FastifyReply,
  ) => {
    const poll = await loadPoll(request);
    const result = await castVote(
      services.votes,
      poll,
      voterId(request, reply),
      formVotes(request, poll),
    );
    if (!result.ok) throw new AppError(result.code);

    const results = await services.polls.results(poll.id);
    const notice = 'Thank you, your vote was counted.';
    return sendPage(reply, resultsPage(ctx, poll, results, linksFor(poll), notice));
  };

  app.get('/', intro);
  app.get('/index.html', intro);
  app.get('/vote.html', showVote);
  app.post('/vote.html', vote);
  app.get('/results.html', showResults);

  app.get('/p/:slug', intro);
  app.get('/p/:slug/vote', showVote);
  app.post('/p/:slug/vote', vote);
  app.get('/p/:slug/results', showResults);
}

export function linksFor(poll: Poll) {
  if (poll.slug === DEFAULT_POLL_SLUG)
    return { vote: '/vote.html', results: '/results.html' };
  return { vote: `/p/${poll.slug}/vote`, results: `/p/${poll.slug}/results` };
}

/**
 * The `vote` field of a form post. A browser also sends the submit button's
 * `vote=Vote`: on a single-choice poll the first value wins, as in the
 * original; on a multiple-choice poll every value but the button's counts.
 */
function formVotes(request: FastifyRequest, poll: Poll): unknown[] {
  const type = request.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw new AppError('unsupported_media_type');
  }
  const body = (request.body ?? {}) as Record<string, unknown>;
  const values = ([] as unknown[]).concat(body.vote ?? []);
  return poll.kind === 'single' ? values.slice(0, 1) : values.filter((v) => v !== 'Vote');
}
