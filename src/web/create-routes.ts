import type { FastifyInstance } from 'fastify';
import { validatePoll } from '../polls/draft.js';
import { createPoll } from '../polls/manage.js';
import { readCreateForm, toPollInput } from './create-form.js';
import { manageLinksFor } from './links.js';
import { createPage, EMPTY_FORM } from './pages/create-page.js';
import { formFields, sendPage } from './respond.js';
import type { PageDeps } from './routes.js';

/**
 * Twenty options of 200 characters, percent-encoded at up to 12 bytes a
 * character, need more than the app's usual 16 KiB.
 */
export const CREATE_BODY_LIMIT = 96 * 1024;

/** The create form, and what it posts to. */
export function createRoutes(app: FastifyInstance, { services, ctx, limits }: PageDeps) {
  app.get('/new', async (_request, reply) =>
    sendPage(reply, createPage(ctx, EMPTY_FORM)),
  );

  app.post(
    '/new',
    { config: limits.polls, bodyLimit: CREATE_BODY_LIMIT },
    async (request, reply) => {
      const form = readCreateForm(formFields(request));
      const checked = validatePoll(toPollInput(form));
      if (!checked.ok) {
        request.log.info({ fields: checked.errors.map((e) => e.field) }, 'poll refused');
        return sendPage(reply, createPage(ctx, form, checked.errors), 400);
      }

      const created = await createPoll(services.db, checked.poll);
      services.polls.pollCreated();
      request.log.info({ slug: created.slug, via: 'form' }, 'poll created');
      const page = manageLinksFor(created.slug, created.manageToken).page;
      return reply.redirect(`${page}?created=1`, 303);
    },
  );
}
