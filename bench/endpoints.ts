/** The app routes the bench loads, by the names used in the report. */
export const ENDPOINTS = {
  vote: { path: '/vote.html', mode: 'vote' },
  'results-page': { path: '/results.html', mode: 'get' },
  'results-json': { path: '/api/v1/polls/default/results', mode: 'get' },
  'poll-page': { path: '/vote.html', mode: 'get' },
  health: { path: '/health', mode: 'get' },
} as const;

export type Endpoint = keyof typeof ENDPOINTS;

export const POLL = 'default';

/** Live results (GET, text/event-stream, `results` events); not in ENDPOINTS: no wrk run. */
export const EVENTS_PATH = `/api/v1/polls/${POLL}/events`;
