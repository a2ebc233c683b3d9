import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.js';
import { createRoutes } from './create-routes.js';
import { refuseCrossSite } from './cross-site.js';
import type { PageContext } from './layout.js';
import { manageRoutes } from './manage-routes.js';
import { pollPageRoutes } from './poll-routes.js';
import { type RouteLimits, routeLimits } from './rate-limit.js';

/** What every page route needs. */
export interface PageDeps {
  services: Services;
  ctx: PageContext;
  limits: RouteLimits;
}

/** The server-rendered pages: they work without JavaScript. */
export async function pageRoutes(app: FastifyInstance, services: Services) {
  app.addHook('onRequest', refuseCrossSite);
  const deps: PageDeps = {
    services,
    ctx: { servedBy: services.config.servedBy },
    limits: routeLimits(services.config),
  };
  pollPageRoutes(app, deps);
  createRoutes(app, deps);
  manageRoutes(app, deps);
}
