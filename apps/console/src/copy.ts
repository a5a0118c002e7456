import { h } from './dom.js';

/**
 * A Copy button for the text of a read-only field, with a status saying
 * whether it worked. Where the clipboard is not offered (a page over plain
 * http, a browser that refuses), the text is left selected for the user to
 * copy themselves, and the status says so.
 */
export const copyButton = (field: HTMLInputElement | HTMLTextAreaElement, text: { copy: string; copied: string; failed: string }): HTMLElement => {
  const said = h('p', { role: 'status', class: 'live' });
  const button = h('button', { type: 'button', class: 'secondary' }, text.copy);
  button.addEventListener('click', () => {
    field.focus();
    field.select();
    const copying = navigator.clipboard?.writeText(field.value) ?? Promise.reject(new Error('no clipboard'));
    copying.then(
      () => said.replaceChildren(text.copied),
      () => {
        field.select();
        said.replaceChildren(text.failed);
      },
    );
  });
  return h('div', { class: 'actions' }, button, said);
};
