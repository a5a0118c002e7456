import { h } from './dom.js';
import { t } from './i18n.js';

export interface Confirmation {
  /** The dialog's heading: what is asked (`Recall lot X?`). */
  readonly title: string;
  /** What will happen, in words (`Recall 17 lots. This cannot be undone.`): the dialog's description. */
  readonly statement: string;
  /** Further lines shown under it, e.g. the reason that will be recorded. */
  readonly details?: readonly (string | Node)[];
  /** The confirm button's text, naming the act (`Recall 17 lots`). */
  readonly confirm: string;
}

let opened = 0;

/**
 * Asks before a command that cannot be undone: a modal `<dialog>` (focus
 * moves into it, the page behind is inert), Cancel first so Enter does not
 * confirm by accident; Escape or Cancel answer false, Confirm true. Focus goes
 * back to where it was. Nothing is sent from here: the caller acts only on true.
 */
export const confirmAction = (c: Confirmation): Promise<boolean> => {
  const id = `confirm-${++opened}`;
  const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const cancel = h('button', { type: 'button', class: 'secondary', id: `${id}-cancel` }, t('confirm.cancel'));
  const yes = h('button', { type: 'button', class: 'danger', id: `${id}-yes` }, c.confirm);
  const dialog = h(
    'dialog',
    { class: 'confirm-dialog', id, 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-statement` },
    h('h2', { id: `${id}-title` }, c.title),
    h('p', { id: `${id}-statement`, class: 'confirm-statement' }, c.statement),
    ...(c.details ?? []).map((d) => h('p', {}, d)),
    h('div', { class: 'actions' }, cancel, ' ', yes),
  );
  return new Promise((resolve) => {
    let answer = false;
    cancel.addEventListener('click', () => dialog.close());
    yes.addEventListener('click', () => {
      answer = true;
      dialog.close();
    });
    // Escape closes a modal dialog by itself (a `cancel` event, then `close`).
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (returnTo?.isConnected) returnTo.focus();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
};
