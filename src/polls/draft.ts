import { POLL_LIMITS, type PollKind, type ResultsVisibility } from './model.js';

/** A new poll as a form or the API gives it, before any check. */
export interface PollInput {
  question: string;
  options: string[];
  kind?: string;
  maxChoices?: number | null;
  resultsVisibility?: string;
  /** ISO 8601 with a zone, or a form's `YYYY-MM-DDTHH:MM` read at `tzOffsetMinutes`. */
  closesAt?: string | null;
  /** As `Date.getTimezoneOffset()` gives it: UTC minus local time. 0 (UTC) by default. */
  tzOffsetMinutes?: number;
  isPublic?: boolean;
}

/** A new poll that passed every check, its texts trimmed. */
export interface ValidPoll {
  question: string;
  options: string[];
  kind: PollKind;
  maxChoices: number;
  resultsVisibility: ResultsVisibility;
  closesAt: number | null;
  isPublic: boolean;
}

export type PollField =
  | 'question'
  | 'options'
  | 'kind'
  | 'maxChoices'
  | 'resultsVisibility'
  | 'closesAt';

export interface FieldError {
  field: PollField;
  message: string;
}

export type PollValidation =
  | { ok: true; poll: ValidPoll }
  | { ok: false; errors: FieldError[] };

const KINDS: readonly string[] = ['single', 'multiple'];
const VISIBILITIES: readonly string[] = ['always', 'after_vote', 'after_close'];

/** Checks a new poll and reports every problem at once, each naming its field. */
export function validatePoll(input: PollInput, now = Date.now()): PollValidation {
  const errors: FieldError[] = [];
  const fail = (field: PollField, message: string) => errors.push({ field, message });

  const question = input.question.trim();
  if (!question) fail('question', 'the question is empty');
  else if (length(question) > POLL_LIMITS.questionLength) {
    fail(
      'question',
      `the question is longer than ${POLL_LIMITS.questionLength} characters`,
    );
  }

  const options = input.options.map((o) => o.trim());
  for (const message of optionProblems(options)) fail('options', message);

  const kind = input.kind ?? 'single';
  if (!KINDS.includes(kind))
    fail('kind', `the kind must be single or multiple, not "${kind}"`);
  const maxChoices = kind === 'multiple' ? (input.maxChoices ?? options.length) : 1;
  if (kind === 'multiple' && !isWithin(maxChoices, 2, Math.max(2, options.length))) {
    const given = Number.isFinite(maxChoices) ? `, not ${maxChoices}` : '';
    fail('maxChoices', `allow from 2 to ${options.length} choices${given}`);
  }

  const resultsVisibility = input.resultsVisibility ?? 'always';
  if (!VISIBILITIES.includes(resultsVisibility)) {
    fail('resultsVisibility', `results can be shown always, after_vote or after_close`);
  }

  const closesAt = closingTime(input, now, fail);
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    poll: {
      question,
      options,
      kind: kind as PollKind,
      maxChoices,
      resultsVisibility: resultsVisibility as ResultsVisibility,
      closesAt,
      isPublic: input.isPublic ?? true,
    },
  };
}

function optionProblems(options: string[]): string[] {
  const { minOptions, maxOptions, optionLength } = POLL_LIMITS;
  if (options.length < minOptions) return [`give at least ${minOptions} options`];
  if (options.length > maxOptions) {
    return [`give at most ${maxOptions} options, not ${options.length}`];
  }

  const problems: string[] = [];
  const seen = new Set<string>();
  options.forEach((label, i) => {
    const key = label.normalize('NFC').toLowerCase();
    if (!label) problems.push(`option ${i + 1} is empty`);
    else if (length(label) > optionLength) {
      problems.push(`option ${i + 1} is longer than ${optionLength} characters`);
    } else if (seen.has(key)) problems.push(`"${label}" is given twice`);
    seen.add(key);
  });
  return problems;
}

function closingTime(
  input: PollInput,
  now: number,
  fail: (field: PollField, message: string) => void,
): number | null {
  const text = input.closesAt?.trim();
  if (!text) return null;

  const at = parseTime(text, input.tzOffsetMinutes ?? 0);
  if (at === undefined) fail('closesAt', `"${text}" is not a date and time`);
  else if (at <= now) fail('closesAt', 'the closing time is already past');
  else return at;
  return null;
}

const TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Epoch milliseconds, or undefined when the text is no real date and time.
 * A time without a zone is read at `tzOffsetMinutes`.
 */
export function parseTime(text: string, tzOffsetMinutes: number): number | undefined {
  const match = TIME.exec(text);
  if (!match) return undefined;

  const [year, month, day, hour, minute, second] = match
    .slice(1, 7)
    .map((d) => Number(d ?? 0));
  const local = Date.UTC(
    year as number,
    (month as number) - 1,
    day,
    hour,
    minute,
    second,
  );
  const back = new Date(local);
  // Date.UTC rolls 31 February over into March: a real date survives the round trip.
  const same =
    back.getUTCMonth() === (month as number) - 1 &&
    back.getUTCDate() === day &&
    back.getUTCHours() === hour &&
    back.getUTCMinutes() === minute;
  if (!same) return undefined;
  const millis = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
  const zone = match[8];
  return local + millis + (zone ? zoneOffsetMinutes(zone) : tzOffsetMinutes) * 60_000;
}

/** `+05:30` is 330 minutes ahead of UTC, so -330 in getTimezoneOffset's sense. */
function zoneOffsetMinutes(zone: string): number {
  if (zone.toUpperCase() === 'Z') return 0;
  const digits = zone.replace(':', '');
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
  return zone.startsWith('+') ? -minutes : minutes;
}

/** Length in characters as people count them (code points), as the columns do. */
function length(text: string): number {
  return [...text].length;
}

function isWithin(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}
