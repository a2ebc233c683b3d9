import { html, type SafeHtml } from '../html.js';

/**
 * A link to copy: a read-only field anyone can select, and a Copy button
 * that app.js reveals when scripts run.
 */
export function copyField(
  id: string,
  label: string,
  value: string,
  hint?: string,
): SafeHtml {
  const hintId = `${id}-hint`;
  return html`<div class="field copy-field">
    <label for="${id}">${label}</label>
    <div class="copy-row">
      <input id="${id}" type="text" readonly value="${value}"${
        hint ? html` aria-describedby="${hintId}"` : ''
      }>
      <button class="button" type="button" data-copy="${id}" hidden>Copy</button>
    </div>
    ${hint ? html`<p class="hint" id="${hintId}">${hint}</p>` : ''}
  </div>`;
}
