import { ApiFailure } from './api.js';
import { h } from './dom.js';
import { codeText, t } from './i18n.js';

/** A message carried to the next page shown (a command's answer, after which the console moves on). */
let pending: HTMLElement | null = null;

export const flash = (text: string): void => {
  pending = h('div', { class: 'notice', role: 'status' }, text);
};

export const takeFlash = (): HTMLElement | null => {
  const taken = pending;
  pending = null;
  return taken;
};

/**
 * What a failed API call means to the regulator: its code translated (the
 * code itself in data-code and on hover), then the API's own message as it
 * answered it.
 */
export const problem = (e: unknown): HTMLElement => {
  if (e instanceof ApiFailure) {
    const known = codeText('error', e.code) !== e.code;
    return h(
      'div',
      { class: 'problem', role: 'alert', 'data-code': e.code, title: e.code },
      h('p', {}, h('strong', {}, known ? codeText('error', e.code) : t('error.unknown')), e.status ? ` (${t('error.http', { status: String(e.status) })})` : ''),
      e.message && e.code !== 'NETWORK_ERROR' ? h('p', { class: 'muted' }, t('error.code', { message: e.message })) : null,
    );
  }
  return h('div', { class: 'problem', role: 'alert' }, h('p', {}, t('error.other', { message: e instanceof Error ? e.message : String(e) })));
};
