import { ApiFailure } from './api.js';
import { h } from './dom.js';

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

/** What a failed API call means to the regulator, with the API's message and code. */
export const problem = (e: unknown): HTMLElement => {
  if (e instanceof ApiFailure) {
    return h('div', { class: 'problem', role: 'alert' }, h('p', {}, h('strong', {}, 'The API refused: '), e.message), h('p', {}, 'Code: ', h('code', {}, e.code), e.status ? ` (HTTP ${e.status})` : ''));
  }
  return h('div', { class: 'problem', role: 'alert' }, h('p', {}, 'Something went wrong: ', e instanceof Error ? e.message : String(e)));
};

