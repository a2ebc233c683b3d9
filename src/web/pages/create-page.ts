import type { FieldError, PollField } from '../../polls/draft.js';
import { POLL_LIMITS } from '../../polls/model.js';
import { html, type SafeHtml } from '../html.js';
import { layout, type PageContext } from '../layout.js';

/** The create form's fields as typed, so a refused form comes back filled in. */
export interface CreateForm {
  question: string;
  /** The option boxes, empty ones included. */
  options: string[];
  moreOptions: string;
  kind: string;
  maxChoices: string;
  resultsVisibility: string;
  closesAt: string;
  tzOffset: string;
  listed: boolean;
}

export const OPTION_BOXES = 5;

export const EMPTY_FORM: CreateForm = {
  question: '',
  options: [],
  moreOptions: '',
  kind: 'single',
  maxChoices: '',
  resultsVisibility: 'always',
  closesAt: '',
  tzOffset: '0',
  listed: true,
};

/** Where each field's error points: the element to focus from the summary. */
const FIELD_IDS: Record<PollField, string> = {
  question: 'question',
  options: 'option-1',
  kind: 'kind-single',
  maxChoices: 'max-choices',
  resultsVisibility: 'results-always',
  closesAt: 'closes-at',
};

export function createPage(
  ctx: PageContext,
  form: CreateForm,
  errors: FieldError[] = [],
) {
  const body = html`
<section class="card">
  <h1>Create a poll</h1>
  ${errorSummary(errors)}
  <form class="create-form" method="post" action="/new">
    ${questionField(form, errors)}
    ${optionsField(form, errors)}
    ${kindField(form, errors)}
    ${visibilityField(form)}
    ${closingField(form, errors)}
    <div class="field">
      <label class="choice"><input type="checkbox" name="listed" value="yes"${
        form.listed ? html` checked` : ''
      }> <span>List it under recent polls on the home page</span></label>
    </div>
    <p class="actions"><button class="button primary" type="submit">Create poll</button></p>
  </form>
</section>`;
  return layout(ctx, errors.length > 0 ? 'Error: create a poll' : 'Create a poll', body);
}

function errorSummary(errors: FieldError[]): SafeHtml | '' {
  if (errors.length === 0) return '';
  const items = errors.map(
    (e) => html`<li><a href="#${FIELD_IDS[e.field]}">${capitalise(e.message)}</a></li>`,
  );
  return html`<div class="error-summary" role="alert" tabindex="-1">
    <h2>The poll could not be created</h2>
    <ul>${items}</ul>
  </div>`;
}

/** The field's messages, and the id that ties them to its input. */
function fieldErrors(errors: FieldError[], field: PollField) {
  const mine = errors.filter((e) => e.field === field);
  if (mine.length === 0) return { block: '', id: undefined };
  const id = `${field}-error`;
  const text = `${mine.map((e) => capitalise(e.message)).join('. ')}.`;
  return { block: html`<p class="field-error" id="${id}">${text}</p>`, id };
}

/** aria-describedby for the given ids (hint, error); marked invalid when an error is one. */
function described(
  hintId: string | undefined,
  errorId: string | undefined,
): SafeHtml | '' {
  const ids = [hintId, errorId].filter(Boolean).join(' ');
  if (!ids) return '';
  return html` aria-describedby="${ids}"${errorId ? html` aria-invalid="true"` : ''}`;
}

function questionField(form: CreateForm, errors: FieldError[]): SafeHtml {
  const error = fieldErrors(errors, 'question');
  return html`<div class="field">
      <label for="question">Question</label>
      <textarea id="question" name="question" rows="2" maxlength="${POLL_LIMITS.questionLength}" required${described(undefined, error.id)}>${form.question}</textarea>
      ${error.block}
    </div>`;
}

function optionsField(form: CreateForm, errors: FieldError[]): SafeHtml {
  const error = fieldErrors(errors, 'options');
  const boxes = Array.from({ length: OPTION_BOXES }, (_, i) => {
    const id = `option-${i + 1}`;
    return html`
        <li><label class="visually-hidden" for="${id}">Option ${i + 1}</label><input id="${id}" name="option" type="text" maxlength="${POLL_LIMITS.optionLength}" value="${form.options[i] ?? ''}"${
          i < 2 ? html` required` : ''
        }${i === 0 ? described(undefined, error.id) : ''}></li>`;
  });
  return html`<fieldset class="field">
      <legend>Options</legend>
      <p class="hint">From 2 to ${POLL_LIMITS.maxOptions}. Empty boxes are left out.</p>
      ${error.block}
      <ol class="option-boxes">${boxes}
      </ol>
      <label for="more-options">More options, one per line</label>
      <textarea id="more-options" name="moreOptions" rows="3">${form.moreOptions}</textarea>
    </fieldset>`;
}

function kindField(form: CreateForm, errors: FieldError[]): SafeHtml {
  const error = fieldErrors(errors, 'maxChoices');
  return html`<fieldset class="field">
      <legend>Answers</legend>
      ${radio('kind', 'single', 'One answer per voter', form.kind)}
      ${radio('kind', 'multiple', 'Several answers per voter', form.kind)}
      <div class="inline-field">
        <label for="max-choices">With several answers, at most</label>
        <input id="max-choices" name="maxChoices" type="number" min="2" max="${POLL_LIMITS.maxOptions}" inputmode="numeric" value="${form.maxChoices}"${described('max-choices-hint', error.id)}>
      </div>
      <p class="hint" id="max-choices-hint">Empty: as many as there are options.</p>
      ${error.block}
    </fieldset>`;
}

function visibilityField(form: CreateForm): SafeHtml {
  const value = form.resultsVisibility;
  return html`<fieldset class="field">
      <legend>Who sees the results</legend>
      ${radio('resultsVisibility', 'always', 'Everyone, at any time', value, 'results-always')}
      ${radio('resultsVisibility', 'after_vote', 'Voters, once they have voted', value)}
      ${radio('resultsVisibility', 'after_close', 'Everyone, once the poll closes', value)}
      <p class="hint">You always see them from your management link.</p>
    </fieldset>`;
}

function closingField(form: CreateForm, errors: FieldError[]): SafeHtml {
  const error = fieldErrors(errors, 'closesAt');
  return html`<div class="field">
      <label for="closes-at">Closing time <span class="optional">(optional)</span></label>
      <input id="closes-at" name="closesAt" type="datetime-local" value="${form.closesAt}"${described('closes-at-hint', error.id)}>
      <input type="hidden" name="tzOffset" value="${form.tzOffset}" data-tz-offset>
      <p class="hint" id="closes-at-hint" data-tz-hint>In UTC. Leave it empty to close the poll by hand.</p>
      ${error.block}
    </div>`;
}

function radio(name: string, value: string, label: string, current: string, id?: string) {
  const inputId = id ?? `${name === 'kind' ? 'kind' : 'results'}-${value}`;
  return html`<label class="choice" for="${inputId}"><input id="${inputId}" type="radio" name="${name}" value="${value}"${
    current === value ? html` checked` : ''
  }> <span>${label}</span></label>`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
