import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { DEFAULT_POLL_SLUG, isOpen, type Poll } from '../polls/model.js';
import { HIDDEN_MESSAGES, hiddenResultsReason } from '../polls/visibility.js';
import { castVote } from '../votes/cast.js';
import type { PageContext } from './layout.js';
import { linksFor } from './links.js';
import { homePage } from './pages/home-page.js';
import {
  hiddenResultsPage,
  introPage,
  type Notice,
  votePage,
} from './pages/poll-pages.js';
import {
  absoluteUrl,
  findPoll,
  formFields,
  prefersJson,
  sendDownload,
  sendPage,
} from './respond.js';
import type { PageDeps } from './routes.js';
import { formVotes, resultsDocument, voteAnswer } from './vote-answer.js';

type SlugRequest = FastifyRequest<{ Params: { slug?: string } }>;

const HOME_LIST_LENGTH = 10;

interface ResultsOptions {
  notice?: Notice;
  /** The status to answer with; hidden results answer 403 unless told. */
  status?: number;
  voted?: boolean;
}

/** The seeded poll at the original's addresses, and every poll under /p/:slug. */
export function pollPageRoutes(
  app: FastifyInstance,
  { services, ctx, limits }: PageDeps,
) {
  const load = (request: SlugRequest) =>
    findPoll(services, request.params.slug ?? DEFAULT_POLL_SLUG);

  const home = async (_request: FastifyRequest, reply: FastifyReply) => {
    const [featured, recent] = await Promise.all([
      services.polls.bySlug(DEFAULT_POLL_SLUG),
      services.polls.recent(HOME_LIST_LENGTH + 1),
    ]);
    const others = recent.filter((p) => p.slug !== DEFAULT_POLL_SLUG);
    return sendPage(reply, homePage(ctx, featured, others.slice(0, HOME_LIST_LENGTH)));
  };

  const intro = async (request: SlugRequest, reply: FastifyReply) => {
    const poll = await load(request);
    const shareUrl = absoluteUrl(request, `/p/${poll.slug}`);
    return sendPage(reply, introPage(ctx, poll, linksFor(poll), shareUrl));
  };

  const showVote = async (request: SlugRequest, reply: FastifyReply) => {
    const poll = await load(request);
    services.voters.id(request, reply);
    return sendPage(reply, votePageOnce(ctx, poll));
  };

  const showResults = async (
    request: FastifyRequest,
    reply: FastifyReply,
    poll: Poll,
    options: ResultsOptions = {},
  ) => {
    const viewer = services.voters.viewer(request, { voted: options.voted });
    const hidden = await hiddenResultsReason(services.db, poll, viewer);
    if (hidden) {
      const page = hiddenResultsPage(ctx, poll, linksFor(poll), hidden, options.notice);
      return sendPage(reply, page, options.status ?? 403);
    }
    const results = await services.polls.results(poll.id);
    const page = resultsDocument(ctx, poll, results, options.notice);
    return sendPage(reply, page, options.status ?? 200);
  };

  const vote = async (request: SlugRequest, reply: FastifyReply) => {
    const poll = await load(request);
    const choices = formVotes(formFields(request), poll);
    const voterId = services.voters.id(request, reply);
    const result = await castVote(services.votes, poll, voterId, choices);
    if (!result.ok && prefersJson(request)) throw new AppError(result.code);

    const answer = voteAnswer(result);
    if (answer.page === 'vote') {
      const page = votePage(ctx, poll, linksFor(poll), answer.notice);
      return sendPage(reply, page, answer.status);
    }
    return showResults(request, reply, poll, answer);
  };

  const download =
    (format: 'csv' | 'json') => async (request: SlugRequest, reply: FastifyReply) => {
      const poll = await load(request);
      const viewer = services.voters.viewer(request);
      const hidden = await hiddenResultsReason(services.db, poll, viewer);
      if (hidden) throw new AppError('results_hidden', HIDDEN_MESSAGES[hidden]);
      return sendDownload(reply, poll, await services.polls.results(poll.id), format);
    };

  const results = async (request: SlugRequest, reply: FastifyReply) =>
    showResults(request, reply, await load(request));

  app.get('/', home);
  app.get('/index.html', home);
  app.get('/vote.html', showVote);
  app.post('/vote.html', { config: limits.votes }, vote);
  app.get('/results.html', results);

  app.get('/p/:slug', intro);
  app.get('/p/:slug/vote', showVote);
  app.post('/p/:slug/vote', { config: limits.votes }, vote);
  app.get('/p/:slug/results', results);
  app.get('/p/:slug/results.csv', download('csv'));
  app.get('/p/:slug/results.json', download('json'));
}

const votePages = new WeakMap<Poll, { open: boolean; page: Buffer }>();

/** The plain vote form, rendered once per poll snapshot while it stays open or closed. */
function votePageOnce(ctx: PageContext, poll: Poll): Buffer {
  const open = isOpen(poll);
  const kept = votePages.get(poll);
  if (kept && kept.open === open) return kept.page;
  const page = Buffer.from(votePage(ctx, poll, linksFor(poll)));
  votePages.set(poll, { open, page });
  return page;
}
