import { isOpen, type Poll, type Results } from './model.js';

/**
 * Pages and documents that depend only on one snapshot of results (and the
 * plain values in `variant`). A snapshot is replaced, never changed, when
 * the counts move, so what was rendered from it stays right for its life:
 * thousands of readers of a hot poll cost one render per snapshot. They are
 * kept encoded: Node then writes the bytes as they are, where a string of a
 * few kilobytes would be copied and encoded again for every reader.
 */
const pages = new WeakMap<Results, Map<string, Buffer>>();

export function renderOnce(
  results: Results,
  variant: string,
  render: () => string,
): Buffer {
  let byVariant = pages.get(results);
  if (!byVariant) {
    byVariant = new Map();
    pages.set(results, byVariant);
  }
  let page = byVariant.get(variant);
  if (page === undefined) {
    page = Buffer.from(render());
    byVariant.set(variant, page);
  }
  return page;
}

/** What `renderOnce` made of this snapshot and variant, if it made it already. */
export function rendered(results: Results, variant: string): Buffer | undefined {
  return pages.get(results)?.get(variant);
}

/**
 * The variant keys of the results documents. The routes render with them and
 * the hot-read lane (src/web/hot-reads.ts) looks up with them, so both must
 * come from here.
 */
export const resultsVariant = {
  json: (poll: Poll) => `json:${poll.id}:${isOpen(poll)}`,
  page: (poll: Poll, notice?: { kind: string; text: string }) =>
    `page:${poll.id}:${isOpen(poll)}:${notice ? `${notice.kind}:${notice.text}` : ''}`,
};
