import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.js';
import { routeLimits } from '../web/rate-limit.js';
import { manageApiRoutes } from './manage-routes.js';
import { pollApiRoutes } from './poll-routes.js';
import { addSchemas } from './schemas.js';

/** The JSON API, version 1. It takes JSON bodies only; /openapi.json describes it. */
export async function apiRoutes(app: FastifyInstance, services: Services) {
  app.removeContentTypeParser(['text/plain']);
  await app.register(swagger, {
    // Components named by their $id (Poll, Results, Error), not def-0, def-1.
    refResolver: {
      buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`),
    },
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Polling App API',
        version: '1.0.0',
        description:
          'Create polls, vote, read results. Errors are {"error": {"code", "message"}}.',
      },
      tags: [
        { name: 'polls', description: 'Create, list and read polls' },
        { name: 'votes', description: 'Vote and read results' },
        { name: 'manage', description: "A poll's creator, with its management token" },
      ],
      components: {
        securitySchemes: {
          manageToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'The management token returned once when the poll was created',
          },
        },
      },
    },
  });
  addSchemas(app);

  const limits = routeLimits(services.config);
  pollApiRoutes(app, services, limits);
  manageApiRoutes(app, services);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
