import { ApiFailure, forgetToken, keepToken, storedToken, whenUnauthenticated } from './api.js';
import { h } from './dom.js';
import { renderLot } from './lot-page.js';
import { renderLots } from './lots-page.js';
import { renderRecall } from './recall-page.js';
import { problem, takeFlash } from './flash.js';
import { consoleRoleOf, renderAdminPage, showNav, type ConsoleRole } from './admin.js';

/**
 * The regulator's console: one page, hash routes (#/lots, #/lots/<code>,
 * #/recalls/<id>), every fact read from the documented API with the
 * REGULATOR key the user signed in with; with an ADMIN key, the
 * administrator's pages instead (#/keys, #/facilities: see admin.ts).
 */

const app = document.getElementById('app') as HTMLElement;
const signedInAs = document.getElementById('signed-in') as HTMLElement;
const nav = document.getElementById('nav') as HTMLElement;
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
    if (!(e instanceof ApiFailure && e.status === 401)) app.replaceChildren(h('h1', {}, 'Could not load this page'), problem(e));
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
    else leavePage = await renderLots(main, route.query);
  } catch (e) {
    main.replaceChildren(h('h1', {}, 'Could not load this page'), problem(e));
  }
  document.title = `${app.querySelector('h1')?.textContent ?? 'Console'} · Coldtrace console`;
  focusHeading();
};

/** What the sign-in form says when the API refuses the token. */
const signInRefusal = (e: unknown): string => {
  if (e instanceof ApiFailure && e.status === 401) {
    return 'This token was not accepted: it is wrong, incomplete or its key has been revoked. Paste the whole REGULATOR or ADMIN token and try again.';
  }
  if (e instanceof ApiFailure && e.status === 403) {
    const role = (e.details as { role?: string } | undefined)?.role;
    return `This key is valid but it is ${role ? `${/^[AEIOU]/.test(role) ? 'an' : 'a'} ${role} key` : 'not a regulator\'s key'}: the console needs a REGULATOR key (or an ADMIN key, for keys and facilities).`;
  }
  if (e instanceof ApiFailure) return `Signing in failed: ${e.message}`;
  return 'Signing in failed: the API could not be reached.';
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
  const button = h('button', { type: 'submit' }, 'Sign in');
  const form = h(
    'form',
    { class: 'signin', novalidate: true },
    h('label', { for: 'token' }, 'Token (regulator or administrator)'),
    input,
    h(
      'p',
      { id: 'token-help', class: 'help' },
      'The token of a REGULATOR or ADMIN key (it starts with ct_). It is kept in this tab only and forgotten when the tab closes or you sign out.',
    ),
    error,
    button,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) {
      error.textContent = 'Enter your token.';
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
  app.replaceChildren(h('h1', {}, 'Sign in'), h('p', {}, 'The regulator\'s console shows every lot, its genealogy and the recalls, and locks, unlocks and recalls lots. With an administrator\'s key it manages keys and facilities.'), form);
  document.title = 'Sign in · Coldtrace console';
  input.focus();
};

const signOut = (message?: string): void => {
  leavePage();
  leavePage = () => undefined;
  forgetToken();
  role = null;
  showSignIn(message);
};

whenUnauthenticated(() => signOut('Your token is no longer accepted (the key may have been revoked). Sign in again.'));
document.getElementById('sign-out')?.addEventListener('click', () => signOut());
window.addEventListener('hashchange', () => void render());
void render();
