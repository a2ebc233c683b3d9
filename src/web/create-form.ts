import type { PollInput } from '../polls/draft.js';
import type { CreateForm } from './pages/create-page.js';
import { type FormBody, fieldValue, fieldValues } from './respond.js';

/** Farther than any real zone (UTC-12 to UTC+14): such an offset is ignored. */
const MAX_OFFSET_MINUTES = 18 * 60;

export function readCreateForm(body: FormBody): CreateForm {
  return {
    question: fieldValue(body, 'question'),
    options: fieldValues(body, 'option'),
    moreOptions: fieldValue(body, 'moreOptions'),
    kind: fieldValue(body, 'kind') || 'single',
    maxChoices: fieldValue(body, 'maxChoices'),
    resultsVisibility: fieldValue(body, 'resultsVisibility') || 'always',
    closesAt: fieldValue(body, 'closesAt'),
    tzOffset: fieldValue(body, 'tzOffset') || '0',
    listed: fieldValue(body, 'listed') === 'yes',
  };
}

/** The form as a poll to check: boxes and lines together, empty ones dropped. */
export function toPollInput(form: CreateForm): PollInput {
  const options = [...form.options, ...form.moreOptions.split(/\r?\n/)]
    .map((o) => o.trim())
    .filter((o) => o !== '');
  const max = form.maxChoices.trim();
  return {
    question: form.question,
    options,
    kind: form.kind,
    maxChoices: max === '' ? null : /^\d{1,3}$/.test(max) ? Number(max) : Number.NaN,
    resultsVisibility: form.resultsVisibility,
    closesAt: form.closesAt,
    tzOffsetMinutes: offsetMinutes(form.tzOffset),
    isPublic: form.listed,
  };
}

/** app.js fills in the browser's offset; without scripts the form speaks UTC. */
function offsetMinutes(text: string): number {
  const value = /^-?\d{1,4}$/.test(text.trim()) ? Number(text) : 0;
  return Math.abs(value) <= MAX_OFFSET_MINUTES ? value : 0;
}
