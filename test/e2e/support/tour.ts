import assert from 'node:assert/strict';
import { insertPoll } from '../../../src/polls/repository.js';
import { hashToken } from '../../../src/polls/tokens.js';
import { type Served, serve, sqlite } from './browser.js';

interface TourPoll {
  slug: string;
  question: string;
  options: string[];
  /** Votes per option, in option order. */
  votes: number[];
  manageToken?: string;
}

/**
 * The poll the tour shows: fixed slug, token and votes, so that every run
 * draws the same pictures. Only a test may know a token in advance.
 */
export const TOUR_POLL: TourPoll & { manageToken: string } = {
  slug: 'kT7mQ2xa',
  manageToken: 'r4Wq9ZbN2cLx7Vt1sHk3Pg',
  question: 'Where should the team lunch be on Friday?',
  options: ['Thai curry house', 'Pizza by the river', 'Sushi bar', 'Taco truck'],
  votes: [5, 3, 2, 1],
};

/** Older public polls, so the home page has a list to show. */
const OTHER_POLLS: TourPoll[] = [
  {
    slug: 'Pz5cW1ry',
    question: 'Tabs or spaces?',
    options: ['Tabs', 'Spaces'],
    votes: [3, 3],
  },
  {
    slug: 'Hb3nV8qe',
    question: 'Which day suits the sprint retrospective?',
    options: ['Tuesday', 'Wednesday', 'Thursday'],
    votes: [1, 0, 3],
  },
];

export const TOUR_PATHS = {
  home: '/',
  create: '/new',
  intro: `/p/${TOUR_POLL.slug}`,
  vote: `/p/${TOUR_POLL.slug}/vote`,
  results: `/p/${TOUR_POLL.slug}/results`,
  manage: `/m/${TOUR_POLL.slug}/${TOUR_POLL.manageToken}`,
};

/**
 * The app on SQLite with the tour's polls and votes. It trusts a proxy's
 * X-Forwarded-* headers, so a browser that sends them sees a stable public
 * address in the share links instead of this run's random port.
 */
export async function serveTour(): Promise<Served> {
  const app = await serve(sqlite, { TRUST_PROXY: 'true', SERVED_BY: 'polling-1' });
  for (const poll of [...OTHER_POLLS, TOUR_POLL]) {
    await insertPoll(app.services.db, {
      slug: poll.slug,
      title: poll.question,
      question: poll.question,
      kind: 'single',
      maxChoices: 1,
      resultsVisibility: 'always',
      isPublic: true,
      closesAt: null,
      manageTokenHash: poll.manageToken ? hashToken(poll.manageToken) : null,
      options: poll.options,
    });
    await castVotes(app, poll);
  }
  return app;
}

/** Each vote from a new voter: the API without a cookie. */
async function castVotes(app: Served, poll: TourPoll) {
  for (const [i, count] of poll.votes.entries()) {
    for (let n = 0; n < count; n++) {
      const response = await app.app.inject({
        method: 'POST',
        url: `/api/v1/polls/${poll.slug}/votes`,
        payload: { choices: [i + 1] },
      });
      assert.equal(response.statusCode, 201, response.body);
    }
  }
}

/** What a browser sends to look as if it came through the public address. */
export const PUBLIC_ADDRESS_HEADERS = {
  'x-forwarded-host': 'polls.example.org',
  'x-forwarded-proto': 'https',
};
