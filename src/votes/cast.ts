import { isOpen, type Poll } from '../polls/model.js';
import type { VoteWriter } from './writer.js';

export type CastResult =
  | { ok: true; choices: number[] }
  | {
      ok: false;
      code: 'invalid_choice' | 'too_many_choices' | 'poll_closed' | 'already_voted';
    };

/** Option ids as a form or JSON gives them: digits only, each an option of the poll. */
export function parseChoices(poll: Poll, raw: unknown[]): number[] | undefined {
  const ids = new Set<number>();
  for (const value of raw) {
    const text = typeof value === 'number' ? String(value) : value;
    if (typeof text !== 'string' || !/^\d{1,6}$/.test(text)) return undefined;
    const id = Number(text);
    if (!poll.options.some((o) => o.id === id)) return undefined;
    ids.add(id);
  }
  return ids.size > 0 ? [...ids] : undefined;
}

/**
 * Records one voter's ballot. Expected refusals come back as values; only
 * the unexpected (a database that stays away) throws.
 */
export async function castVote(
  writer: VoteWriter,
  poll: Poll,
  voterId: string,
  raw: unknown[],
): Promise<CastResult> {
  const choices = parseChoices(poll, raw);
  if (!choices) return refuse(writer, 'invalid_choice');
  if (choices.length > (poll.kind === 'single' ? 1 : poll.maxChoices)) {
    return refuse(writer, 'too_many_choices');
  }
  if (!isOpen(poll)) return refuse(writer, 'poll_closed');

  const outcome = await writer.submit(poll.id, voterId, choices);
  if (outcome === 'duplicate') return { ok: false, code: 'already_voted' };
  if (outcome === 'closed') return { ok: false, code: 'poll_closed' };
  return { ok: true, choices };
}

/** A refusal decided here, counted by the writer with the ones it decides. */
function refuse(
  writer: VoteWriter,
  code: 'invalid_choice' | 'too_many_choices' | 'poll_closed',
): CastResult {
  writer.refused(code === 'poll_closed' ? 'closed' : 'invalid');
  return { ok: false, code };
}
