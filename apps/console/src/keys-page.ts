import { del, get, post } from './api.js';
import { copyButton } from './copy.js';
import { facts, h, time } from './dom.js';
import { allFacilities, type Facility } from './facilities.js';
import { problem } from './flash.js';
import { codeText, t } from './i18n.js';

/** The roles a key may have, in the order the form offers them. */
const ROLES = ['OPERATOR', 'INSPECTOR', 'REGULATOR', 'ADMIN'] as const;

interface Actor {
  keyId: string;
  name: string;
}

interface Key {
  id: string;
  name: string;
  role: string;
  facilityIds: string[];
  createdAt: string;
  createdBy: Actor | null;
  revokedAt: string | null;
  revokedBy: Actor | null;
}

interface IssuedKey {
  id: string;
  name: string;
  token: string;
}

/** The token of the key just created, once: with a copy button and a warning that it is never shown again. */
const tokenPanel = (key: IssuedKey): HTMLElement => {
  const input = h('input', { id: 'new-token', type: 'text', readonly: true, value: key.token, spellcheck: 'false', autocomplete: 'off', 'aria-describedby': 'new-token-warning', class: 'token' });
  return h(
    'section',
    { class: 'panel token-panel', 'aria-labelledby': 'new-token-heading' },
    h('h2', { id: 'new-token-heading' }, t('keys.tokenHeading', { name: key.name })),
    h('p', { id: 'new-token-warning', class: 'warning' }, h('strong', {}, t('keys.tokenWarning'))),
    h('label', { for: 'new-token' }, t('keys.tokenLabel')),
    input,
    copyButton(input, { copy: t('keys.copy'), copied: t('keys.copied'), failed: t('keys.copyFailed') }),
  );
};

const createForm = (facilities: Facility[], onCreated: (key: IssuedKey) => Promise<void>): HTMLElement => {
  const error = h('div', { role: 'alert' });
  const name = h('input', { id: 'key-name', name: 'name', type: 'text', required: true, autocomplete: 'off', maxlength: 100, 'aria-describedby': 'key-name-help' });
  const role = h('select', { id: 'key-role', name: 'role' }, ...ROLES.map((value) => h('option', { value }, t(`keys.roleOption.${value}`))));
  const choices = facilities.map((f, i) =>
    h('li', {}, h('input', { type: 'checkbox', id: `key-facility-${i}`, name: 'facilityIds', value: f.id }), h('label', { for: `key-facility-${i}`, class: 'inline' }, f.name, ' ', h('code', {}, f.id))),
  );
  const facilityField = h(
    'fieldset',
    { id: 'key-facilities' },
    h('legend', {}, t('keys.facilities')),
    facilities.length === 0 ? h('p', { class: 'muted' }, t('keys.noFacilities')) : [h('p', { class: 'help' }, t('keys.facilitiesHelp')), h('ul', { class: 'choices' }, ...choices)],
  );
  const showFacilities = () => {
    facilityField.hidden = role.value !== 'OPERATOR';
  };
  role.addEventListener('change', showFacilities);
  showFacilities();

  const submit = h('button', { type: 'submit' }, t('keys.submit'));
  const form = h(
    'form',
    { class: 'panel', id: 'create-key', 'aria-labelledby': 'create-key-heading', novalidate: true },
    h('h2', { id: 'create-key-heading' }, t('keys.createHeading')),
    h('label', { for: 'key-name' }, t('keys.name')),
    name,
    h('p', { id: 'key-name-help', class: 'help' }, t('keys.nameHelp')),
    h('label', { for: 'key-role' }, t('keys.role')),
    role,
    facilityField,
    error,
    h('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = [...form.querySelectorAll<HTMLInputElement>('input[name="facilityIds"]:checked')].map((c) => c.value);
    if (!name.value.trim()) {
      error.replaceChildren(h('p', { class: 'problem' }, t('keys.nameRequired')));
      name.focus();
      return;
    }
    const operator = role.value === 'OPERATOR';
    if (operator && chosen.length === 0) {
      error.replaceChildren(h('p', { class: 'problem' }, t('keys.facilityRequired')));
      (form.querySelector('input[name="facilityIds"]') as HTMLInputElement | null)?.focus();
      return;
    }
    submit.disabled = true;
    error.replaceChildren();
    post<IssuedKey>('/api/keys', { name: name.value.trim(), role: role.value, ...(operator ? { facilityIds: chosen } : {}) })
      .then(onCreated)
      .catch((e: unknown) => {
        error.replaceChildren(problem(e));
        submit.disabled = false;
      });
  });
  return form;
};

/** One key, with a revoke button that first asks to confirm (a revocation cannot be undone). */
const keyItem = (key: Key, facilityNames: Map<string, string>, onRevoked: (key: Key) => Promise<void>): HTMLElement => {
  const actions = h('div', { class: 'actions' });
  const offerRevoke = () => {
    const revoke = h('button', { type: 'button', class: 'danger', 'aria-label': t('keys.revokeLabel', { name: key.name }) }, t('keys.revoke'));
    revoke.addEventListener('click', askToConfirm);
    actions.replaceChildren(revoke);
    return revoke;
  };
  const askToConfirm = () => {
    const question = h('p', { id: `revoke-question-${key.id}` }, t('keys.confirm', { name: key.name }));
    const yes = h('button', { type: 'button', class: 'danger' }, t('keys.confirmYes'));
    const no = h('button', { type: 'button', class: 'secondary' }, t('keys.cancel'));
    const error = h('div', { role: 'alert' });
    no.addEventListener('click', () => offerRevoke().focus());
    yes.addEventListener('click', () => {
      yes.disabled = true;
      no.disabled = true;
      del(`/api/keys/${encodeURIComponent(key.id)}`)
        .then(() => onRevoked(key))
        .catch((e: unknown) => {
          error.replaceChildren(problem(e));
          yes.disabled = false;
          no.disabled = false;
        });
    });
    actions.replaceChildren(h('div', { class: 'confirm', role: 'group', 'aria-labelledby': question.id }, question, h('div', { class: 'actions' }, yes, no), error));
    no.focus();
  };
  if (!key.revokedAt) offerRevoke();
  return h(
    'li',
    { class: `card${key.revokedAt ? ' revoked' : ''}`, 'data-key-id': key.id },
    h('h3', {}, key.name, ' ', h('span', { class: `badge ${key.revokedAt ? 'status-revoked' : 'status-active'}` }, key.revokedAt ? `✕ ${t('keys.revoked')}` : `● ${t('keys.active')}`)),
    facts([
      [t('keys.roleTerm'), codeText('role', key.role)],
      [t('keys.keyId'), h('code', {}, key.id)],
      ...(key.facilityIds.length > 0
        ? ([[t('keys.facilitiesTerm'), key.facilityIds.map((id, i) => [i > 0 ? ', ' : '', facilityNames.get(id) ?? '', ' ', h('code', {}, id)]).flat()]] as [string, (Node | string)[]][])
        : []),
      [t('keys.created'), [time(key.createdAt), key.createdBy ? t('keys.by', { name: key.createdBy.name }) : '']],
      ...(key.revokedAt ? ([[t('keys.revoked'), [time(key.revokedAt), key.revokedBy ? t('keys.by', { name: key.revokedBy.name }) : '']]] as [string, (Node | string)[]][]) : []),
    ]),
    actions,
  );
};

/** #/keys: create a key (its token shown once), list every key, revoke one. */
export const renderKeys = async (main: HTMLElement): Promise<() => void> => {
  const { facilities } = await allFacilities();
  const facilityNames = new Map(facilities.map((f) => [f.id, f.name]));
  const status = h('div', { role: 'status', class: 'live' });
  const issued = h('div', {});
  const list = h('div', {});
  const refresh = async () => {
    const { keys } = await get<{ keys: Key[] }>('/api/keys');
    list.replaceChildren(
      keys.length === 0
        ? h('p', { class: 'empty' }, t('keys.none'))
        : h(
            'ul',
            { class: 'cards', id: 'key-list' },
            ...[...keys].reverse().map((k) =>
              keyItem(k, facilityNames, async (revoked) => {
                status.replaceChildren(h('p', { class: 'notice' }, t('keys.revokedNotice', { name: revoked.name })));
                await refresh();
                status.focus();
              }),
            ),
          ),
    );
  };
  await refresh();
  const mountForm = (): HTMLElement =>
    createForm(facilities, async (key) => {
      issued.replaceChildren(tokenPanel(key));
      const fresh = mountForm();
      form.replaceWith(fresh);
      form = fresh;
      await refresh();
      (issued.querySelector('#new-token') as HTMLInputElement).focus();
    });
  let form = mountForm();
  status.setAttribute('tabindex', '-1');
  main.replaceChildren(h('h1', {}, t('keys.title')), h('p', {}, t('keys.intro')), status, issued, form, h('h2', {}, t('keys.listHeading')), list);
  return () => undefined;
};
