import { ERRORS } from '../errors.js';
import type { Poll, Results } from '../polls/model.js';
import { renderOnce, resultsVariant } from '../polls/snapshot-memo.js';
import type { CastResult } from '../votes/cast.js';
import type { PageContext } from './layout.js';
import { linksFor } from './links.js';
import { sentence } from './pages/format.js';
import { type Notice, resultsPage } from './pages/poll-pages.js';
import { type FormBody, fieldValues } from './respond.js';

/**
 * How a form vote's outcome is shown: on the results page with a notice
 * (counted, or why not), or back on the vote form when the choice was not
 * valid. The vote route and the hot-vote lane answer from this alike.
 */
export type VoteAnswer =
  | { page: 'results'; notice: Notice; status: 200 | 409; voted: boolean }
  | { page: 'vote'; notice: Notice; status: 400 };

export function voteAnswer(result: CastResult): VoteAnswer {
  if (result.ok) {
    const notice = success('Thank you, your vote was counted.');
    return { page: 'results', notice, status: 200, voted: true };
  }
  const text = sentence(ERRORS[result.code].message);
  if (result.code === 'already_voted') {
    return { page: 'results', notice: info(text), status: 409, voted: true };
  }
  if (result.code === 'poll_closed') {
    return { page: 'results', notice: info(text), status: 409, voted: false };
  }
  return { page: 'vote', notice: error(text), status: 400 };
}

/** The results page, rendered once per results snapshot and notice. */
export function resultsDocument(
  ctx: PageContext,
  poll: Poll,
  results: Results,
  notice?: Notice,
): Buffer {
  return renderOnce(results, resultsVariant.page(poll, notice), () =>
    resultsPage(ctx, poll, results, linksFor(poll), notice),
  );
}

/**
 * The `vote` field of a form post. A browser also sends the submit button's
 * `vote=Vote`: on a single-choice poll the first value wins, as in the
 * original; on a multiple-choice poll every value but the button's counts.
 */
export function formVotes(body: FormBody, poll: Poll): unknown[] {
  const values = fieldValues(body, 'vote');
  return poll.kind === 'single' ? values.slice(0, 1) : values.filter((v) => v !== 'Vote');
}

const success = (text: string): Notice => ({ text, kind: 'success' });
const info = (text: string): Notice => ({ text, kind: 'info' });
const error = (text: string): Notice => ({ text, kind: 'error' });
