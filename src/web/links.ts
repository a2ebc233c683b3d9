import { DEFAULT_POLL_SLUG } from '../polls/model.js';

export interface PollLinks {
  intro: string;
  vote: string;
  results: string;
  csv: string;
  json: string;
}

/** Where a poll's pages live; the seeded poll keeps the original's addresses. */
export function linksFor(poll: { slug: string }): PollLinks {
  const base = `/p/${poll.slug}`;
  const downloads = { csv: `${base}/results.csv`, json: `${base}/results.json` };
  if (poll.slug === DEFAULT_POLL_SLUG) {
    return { intro: '/', vote: '/vote.html', results: '/results.html', ...downloads };
  }
  return { intro: base, vote: `${base}/vote`, results: `${base}/results`, ...downloads };
}

export interface ManageLinks {
  page: string;
  close: string;
  reopen: string;
  delete: string;
  csv: string;
  json: string;
}

/** The management pages: the token in the path is the only credential. */
export function manageLinksFor(slug: string, token: string): ManageLinks {
  const page = `/m/${slug}/${token}`;
  return {
    page,
    close: `${page}/close`,
    reopen: `${page}/reopen`,
    delete: `${page}/delete`,
    csv: `${page}/results.csv`,
    json: `${page}/results.json`,
  };
}
