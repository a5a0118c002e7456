import { ApiFailure, forgetToken, keepToken, storedToken, whenUnauthenticated } from './api.js';
import { h } from './dom.js';
import { renderAudit } from './audit-page.js';
import { renderDashboard } from './dashboard-page.js';
import { renderLot } from './lot-page.js';
import { renderLots } from './lots-page.js';
import { renderRecall } from './recall-page.js';
import { problem, takeFlash } from './flash.js';
import { consoleRoleOf, renderAdminPage, showNav, type ConsoleRole } from './admin.js';
import { codeText, language, setLanguage, t, type Language } from './i18n.js';
import type { MessageKey } from './messages-en.js';

/**
 * The regulator's console: one page, hash routes (#/lots, #/lots/<code>,
 * #/recalls/<id>, #/dashboard, #/audit), every fact read from the documented API with the
 * REGULATOR key the user signed in with; with an ADMIN key, the
 * administrator's pages instead (#/keys, #/facilities: see admin.ts).
 */

const app = document.getElementById('app') as HTMLElement;
const signedInAs = document.getElementById('signed-in') as HTMLElement;
const nav = document.getElementById('nav') as HTMLElement;
/**
 * The page's own text (header, skip link, title) in the current language:
 * elements name their key in data-i18n (text) or data-i18n-label (aria-label).
 */
const translateFrame = (): void => {
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset.i18n as MessageKey);
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel as MessageKey));
  for (const b of document.querySelectorAll<HTMLButtonElement>('button[data-language]')) b.setAttribute('aria-pressed', String(b.dataset.language === language()));
};
translateFrame();

const regulatorLinks = [...nav.childNodes];
/** Which pages the stored token gets; null until asked (after a reload). */
let role: ConsoleRole | null = null;

/** Stops what the page on screen runs (the recall page polls). */
let leavePage: () => void = () => undefined;

interface Route {
  readonly path: string[];
  readonly query: URLSearchParams;
}

const currentRoute = (): Route => {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?', 2);
  return { path: path.split('/').filter((p) => p !== '').map(decodeURIComponent), query: new URLSearchParams(query) };
};

const focusHeading = (): void => {
  const heading = app.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
  }
};

const render = async (): Promise<void> => {
  leavePage();
  leavePage = () => undefined;
  if (!storedToken()) {
    showSignIn();
    return;
  }
  try {
    role ??= await consoleRoleOf(storedToken()!);
  } catch (e) {
    // A refused token has signed out already (whenUnauthenticated).
    if (!(e instanceof ApiFailure && e.status === 401)) app.replaceChildren(h('h1', {}, t('app.couldNotLoad')), problem(e));
    return;
  }
  showNav(nav, regulatorLinks, document.getElementById('signed-in-role') as HTMLElement, role);
  signedInAs.hidden = false;
  nav.hidden = false;
  const route = currentRoute();
  const main = h('div', {});
  const flash = takeFlash();
  app.replaceChildren(...(flash ? [flash] : []), main);
  try {
    if (role === 'ADMIN') leavePage = await renderAdminPage(main, route.path);
    else if (route.path[0] === 'lots' && route.path[1]) leavePage = await renderLot(main, route.path[1], route.query);
    else if (route.path[0] === 'recalls' && route.path[1]) leavePage = await renderRecall(main, route.path[1], route.query);
    else if (route.path[0] === 'audit') leavePage = await renderAudit(main);
    else if (route.path[0] === 'dashboard') leavePage = await renderDashboard(main);
    else leavePage = await renderLots(main, route.query);
  } catch (e) {
    main.replaceChildren(h('h1', {}, t('app.couldNotLoad')), problem(e));
  }
  document.title = t('app.pageTitle', { page: app.querySelector('h1')?.textContent ?? t('nav.label') });
  focusHeading();
};

/** What the sign-in form says when the API refuses the token. */
const signInRefusal = (e: unknown): string => {
  if (e instanceof ApiFailure && e.status === 401) return t('signIn.refused');
  if (e instanceof ApiFailure && e.status === 403) {
    const role = (e.details as { role?: string } | undefined)?.role;
    return role ? t('signIn.wrongRole', { role: codeText('roleArticle', role) }) : t('signIn.wrongRoleUnknown');
  }
  if (e instanceof ApiFailure) return t('signIn.failed', { problem: codeText('error', e.code) === e.code ? e.message : codeText('error', e.code) });
  return t('signIn.unreachable');
};

const showSignIn = (message?: string): void => {
  signedInAs.hidden = true;
  nav.hidden = true;
  const error = h('div', { id: 'signin-error', class: 'problem', role: 'alert', hidden: !message }, message ?? '');
  const input = h('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    'aria-describedby': 'token-help signin-error',
  });
  const button = h('button', { type: 'submit' }, t('signIn.button'));
  const form = h(
    'form',
    { class: 'signin', novalidate: true },
    h('label', { for: 'token' }, t('signIn.tokenLabel')),
    input,
    h('p', { id: 'token-help', class: 'help' }, t('signIn.tokenHelp')),
    error,
    button,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) {
      error.textContent = t('signIn.enterToken');
      error.hidden = false;
      input.focus();
      return;
    }
    button.disabled = true;
    error.hidden = true;
    consoleRoleOf(token)
      .then((given) => {
        role = given;
        keepToken(token);
        input.value = '';
        const home = given === 'ADMIN' ? '#/keys' : '#/lots';
        if (!location.hash || location.hash === '#') location.hash = home;
        else void render();
      })
      .catch((e: unknown) => {
        error.textContent = signInRefusal(e);
        error.hidden = false;
        input.focus();
        input.select();
      })
      .finally(() => {
        button.disabled = false;
      });
  });
  app.replaceChildren(h('h1', {}, t('signIn.title')), h('p', {}, t('signIn.intro')), form);
  document.title = t('app.pageTitle', { page: t('signIn.title') });
  input.focus();
};

const signOut = (message?: string): void => {
  leavePage();
  leavePage = () => undefined;
  forgetToken();
  role = null;
  showSignIn(message);
};

whenUnauthenticated(() => signOut(t('signIn.revoked')));
/** The language switch: the frame and the page on screen drawn again in the other language (a sign-in form keeps what it says by starting afresh). */
for (const b of document.querySelectorAll<HTMLButtonElement>('button[data-language]')) {
  b.addEventListener('click', () => {
    setLanguage(b.dataset.language as Language);
    translateFrame();
    if (role) showNav(nav, regulatorLinks, document.getElementById('signed-in-role') as HTMLElement, role);
    void render();
  });
}
document.getElementById('sign-out')?.addEventListener('click', () => signOut());
window.addEventListener('hashchange', () => void render());
void render();
