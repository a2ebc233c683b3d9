import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { closePoll, deletePoll, isManager, reopenPoll } from '../polls/manage.js';
import type { Poll } from '../polls/model.js';
import { linksFor, manageLinksFor } from './links.js';
import { managePage } from './pages/manage-page.js';
import { messagePage, type Notice } from './pages/poll-pages.js';
import {
  absoluteUrl,
  fieldValue,
  findPoll,
  formFields,
  sendDownload,
  sendPage,
} from './respond.js';
import type { PageDeps } from './routes.js';

type ManageRequest = FastifyRequest<{
  Params: { slug: string; token: string };
  Querystring: { created?: string; done?: string };
}>;

const NOTICES = new Map<string, Notice>([
  [
    'created',
    {
      kind: 'success',
      text: 'Your poll is ready. Share its link, and bookmark this page: its address is the only way to manage the poll.',
    },
  ],
  ['closed', { kind: 'success', text: 'Voting is closed.' }],
  ['reopened', { kind: 'success', text: 'Voting is open again.' }],
]);

/** The creator's pages under the secret management link. */
export function manageRoutes(app: FastifyInstance, { services, ctx }: PageDeps) {
  const authorize = async (request: ManageRequest): Promise<Poll> => {
    const poll = await findPoll(services, request.params.slug);
    if (!(await isManager(services.db, poll.id, request.params.token))) {
      throw new AppError('invalid_manage_token', 'this management link is not valid');
    }
    return poll;
  };

  const show = async (request: ManageRequest, reply: FastifyReply, notice?: Notice) => {
    const poll = await authorize(request);
    const manage = manageLinksFor(poll.slug, request.params.token);
    const view = {
      poll,
      results: await services.polls.results(poll.id),
      links: linksFor(poll),
      manage,
      shareUrl: absoluteUrl(request, `/p/${poll.slug}`),
      manageUrl: absoluteUrl(request, manage.page),
    };
    const query = request.query;
    const shown = notice ?? NOTICES.get(query.created ? 'created' : String(query.done));
    // The token is in the address: keep the page out of shared caches.
    reply.header('cache-control', 'no-store');
    return sendPage(
      reply,
      managePage(ctx, view, shown),
      notice?.kind === 'error' ? 400 : 200,
    );
  };

  const change =
    (action: 'closed' | 'reopened') =>
    async (request: ManageRequest, reply: FastifyReply) => {
      const poll = await authorize(request);
      await (action === 'closed' ? closePoll : reopenPoll)(services.db, poll.id);
      services.polls.forget(poll.slug, poll.id);
      request.log.info({ slug: poll.slug, action }, 'poll changed');
      const page = manageLinksFor(poll.slug, request.params.token).page;
      return reply.redirect(`${page}?done=${action}`, 303);
    };

  const remove = async (request: ManageRequest, reply: FastifyReply) => {
    const poll = await authorize(request);
    if (fieldValue(formFields(request), 'confirm') !== 'yes') {
      const text = 'Tick the box to confirm that the poll and its votes should go.';
      return show(request, reply, { kind: 'error', text });
    }
    await deletePoll(services.db, poll.id);
    services.polls.forget(poll.slug, poll.id);
    request.log.info({ slug: poll.slug, action: 'deleted' }, 'poll changed');
    const page = messagePage(
      ctx,
      'Poll deleted',
      'The poll and all its votes are gone.',
      '/',
    );
    return sendPage(reply, page);
  };

  const download =
    (format: 'csv' | 'json') => async (request: ManageRequest, reply: FastifyReply) => {
      const poll = await authorize(request);
      reply.header('cache-control', 'no-store');
      return sendDownload(reply, poll, await services.polls.results(poll.id), format);
    };

  app.get('/m/:slug/:token', (request: ManageRequest, reply) => show(request, reply));
  app.post('/m/:slug/:token/close', change('closed'));
  app.post('/m/:slug/:token/reopen', change('reopened'));
  app.post('/m/:slug/:token/delete', remove);
  app.get('/m/:slug/:token/results.csv', download('csv'));
  app.get('/m/:slug/:token/results.json', download('json'));
}
