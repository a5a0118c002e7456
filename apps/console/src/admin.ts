import { ApiFailure, call } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { renderFacilities } from './facilities-page.js';
import { renderKeys } from './keys-page.js';

/** The two kinds of key the console serves: a regulator's pages, or an administrator's. */
export type ConsoleRole = 'REGULATOR' | 'ADMIN';

/**
 * Which console a token gets. The regulator's list answers a REGULATOR key,
 * and refuses any other valid key with 403 naming its role: one request
 * tells a wrong token (401) from an administrator's or another role's key.
 * The role is kept in memory only (the tab keeps just the token), so a
 * reload asks again; the API judges every call regardless.
 */
export const consoleRoleOf = async (token: string): Promise<ConsoleRole> => {
  try {
    await call('GET', '/api/lots?limit=1', undefined, token);
    return 'REGULATOR';
  } catch (e) {
    if (e instanceof ApiFailure && e.status === 403 && (e.details as { role?: string } | undefined)?.role === 'ADMIN') return 'ADMIN';
    throw e;
  }
};

/** The header's links for this role: the regulator's from the page itself, the administrator's built here. */
export const showNav = (nav: HTMLElement, regulatorLinks: Node[], signedInAs: HTMLElement, role: ConsoleRole): void => {
  nav.replaceChildren(...(role === 'ADMIN' ? [h('a', { href: '#/keys' }, t('admin.nav.keys')), ' ', h('a', { href: '#/facilities' }, t('admin.nav.facilities'))] : regulatorLinks));
  signedInAs.textContent = t(`nav.signedInAs.${role}`);
};

/** The administrator's pages: #/keys (the default) and #/facilities. */
export const renderAdminPage = (main: HTMLElement, path: string[]): Promise<() => void> =>
  path[0] === 'facilities' ? renderFacilities(main) : renderKeys(main);
