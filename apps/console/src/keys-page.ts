import { del, get, post } from './api.js';
import { facts, h, time } from './dom.js';
import { allFacilities, type Facility } from './facilities-page.js';
import { problem } from './flash.js';

/** Every string this page shows (English for now; they move to the message catalogue with the rest). */
const TEXT = {
  title: 'Keys',
  intro: 'Every key ever issued, revoked ones included. A token is shown once, when its key is created; the API keeps only its digest.',
  createHeading: 'Create a key',
  name: 'Name',
  nameHelp: 'Who or what holds the key (a scanner, a lab system, a person); shown in every event it writes.',
  role: 'Role',
  roles: {
    OPERATOR: 'Operator: scans and registers lots at its facilities',
    INSPECTOR: 'Inspector: attaches certificates',
    REGULATOR: 'Regulator: reads everything, locks and recalls',
    ADMIN: 'Administrator: keys and facilities',
  } as Record<string, string>,
  facilities: 'Facilities this operator works at',
  facilitiesHelp: 'Choose one or more. Its scans elsewhere are refused.',
  noFacilities: 'No facility is registered yet: register one on the Facilities page first.',
  submit: 'Create key',
  nameRequired: 'Give the key a name.',
  facilityRequired: 'Choose at least one facility for an operator key.',
  tokenHeading: (name: string) => `Token of the new key “${name}”`,
  tokenWarning: 'Shown only now. Copy it and hand it over safely: it cannot be shown again. If it is lost, revoke the key and create another.',
  tokenLabel: 'Token',
  copy: 'Copy token',
  copied: 'Token copied.',
  copyFailed: 'Could not copy: select the token and copy it yourself.',
  listHeading: 'All keys',
  none: 'No key yet.',
  keyId: 'Key id',
  roleTerm: 'Role',
  facilitiesTerm: 'Facilities',
  created: 'Created',
  revoked: 'Revoked',
  active: 'Active',
  by: (name: string) => ` by ${name}`,
  revoke: 'Revoke…',
  revokeLabel: (name: string) => `Revoke key ${name}`,
  confirm: (name: string) => `Revoke the key “${name}”? Its token is refused from this moment. This cannot be undone.`,
  confirmYes: 'Yes, revoke it',
  cancel: 'Cancel',
  revokedNotice: (name: string) => `Key “${name}” is revoked.`,
};

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
  const said = h('p', { role: 'status', class: 'live' });
  const input = h('input', { id: 'new-token', type: 'text', readonly: true, value: key.token, spellcheck: 'false', autocomplete: 'off', 'aria-describedby': 'new-token-warning', class: 'token' });
  const copy = h('button', { type: 'button' }, TEXT.copy);
  copy.addEventListener('click', () => {
    input.select();
    navigator.clipboard
      .writeText(key.token)
      .then(() => said.replaceChildren(TEXT.copied))
      .catch(() => said.replaceChildren(TEXT.copyFailed));
  });
  return h(
    'section',
    { class: 'panel token-panel', 'aria-labelledby': 'new-token-heading' },
    h('h2', { id: 'new-token-heading' }, TEXT.tokenHeading(key.name)),
    h('p', { id: 'new-token-warning', class: 'warning' }, h('strong', {}, TEXT.tokenWarning)),
    h('label', { for: 'new-token' }, TEXT.tokenLabel),
    input,
    h('div', { class: 'actions' }, copy, said),
  );
};

const createForm = (facilities: Facility[], onCreated: (key: IssuedKey) => Promise<void>): HTMLElement => {
  const error = h('div', { role: 'alert' });
  const name = h('input', { id: 'key-name', name: 'name', type: 'text', required: true, autocomplete: 'off', maxlength: 100, 'aria-describedby': 'key-name-help' });
  const role = h('select', { id: 'key-role', name: 'role' }, ...Object.entries(TEXT.roles).map(([value, text]) => h('option', { value }, text)));
  const choices = facilities.map((f, i) =>
    h('li', {}, h('input', { type: 'checkbox', id: `key-facility-${i}`, name: 'facilityIds', value: f.id }), h('label', { for: `key-facility-${i}`, class: 'inline' }, f.name, ' ', h('code', {}, f.id))),
  );
  const facilityField = h(
    'fieldset',
    { id: 'key-facilities' },
    h('legend', {}, TEXT.facilities),
    facilities.length === 0 ? h('p', { class: 'muted' }, TEXT.noFacilities) : [h('p', { class: 'help' }, TEXT.facilitiesHelp), h('ul', { class: 'choices' }, ...choices)],
  );
  const showFacilities = () => {
    facilityField.hidden = role.value !== 'OPERATOR';
  };
  role.addEventListener('change', showFacilities);
  showFacilities();

  const submit = h('button', { type: 'submit' }, TEXT.submit);
  const form = h(
    'form',
    { class: 'panel', id: 'create-key', 'aria-labelledby': 'create-key-heading', novalidate: true },
    h('h2', { id: 'create-key-heading' }, TEXT.createHeading),
    h('label', { for: 'key-name' }, TEXT.name),
    name,
    h('p', { id: 'key-name-help', class: 'help' }, TEXT.nameHelp),
    h('label', { for: 'key-role' }, TEXT.role),
    role,
    facilityField,
    error,
    h('div', { class: 'actions' }, submit),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = [...form.querySelectorAll<HTMLInputElement>('input[name="facilityIds"]:checked')].map((c) => c.value);
    if (!name.value.trim()) {
      error.replaceChildren(h('p', { class: 'problem' }, TEXT.nameRequired));
      name.focus();
      return;
    }
    const operator = role.value === 'OPERATOR';
    if (operator && chosen.length === 0) {
      error.replaceChildren(h('p', { class: 'problem' }, TEXT.facilityRequired));
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
    const revoke = h('button', { type: 'button', class: 'danger', 'aria-label': TEXT.revokeLabel(key.name) }, TEXT.revoke);
    revoke.addEventListener('click', askToConfirm);
    actions.replaceChildren(revoke);
    return revoke;
  };
  const askToConfirm = () => {
    const question = h('p', { id: `revoke-question-${key.id}` }, TEXT.confirm(key.name));
    const yes = h('button', { type: 'button', class: 'danger' }, TEXT.confirmYes);
    const no = h('button', { type: 'button', class: 'secondary' }, TEXT.cancel);
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
    h('h3', {}, key.name, ' ', h('span', { class: `badge ${key.revokedAt ? 'status-revoked' : 'status-active'}` }, key.revokedAt ? `✕ ${TEXT.revoked}` : `● ${TEXT.active}`)),
    facts([
      [TEXT.roleTerm, key.role],
      [TEXT.keyId, h('code', {}, key.id)],
      ...(key.facilityIds.length > 0
        ? ([[TEXT.facilitiesTerm, key.facilityIds.map((id, i) => [i > 0 ? ', ' : '', facilityNames.get(id) ?? '', ' ', h('code', {}, id)]).flat()]] as [string, (Node | string)[]][])
        : []),
      [TEXT.created, [time(key.createdAt), key.createdBy ? TEXT.by(key.createdBy.name) : '']],
      ...(key.revokedAt ? ([[TEXT.revoked, [time(key.revokedAt), key.revokedBy ? TEXT.by(key.revokedBy.name) : '']]] as [string, (Node | string)[]][]) : []),
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
        ? h('p', { class: 'empty' }, TEXT.none)
        : h(
            'ul',
            { class: 'cards', id: 'key-list' },
            ...[...keys].reverse().map((k) =>
              keyItem(k, facilityNames, async (revoked) => {
                status.replaceChildren(h('p', { class: 'notice' }, TEXT.revokedNotice(revoked.name)));
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
  main.replaceChildren(h('h1', {}, TEXT.title), h('p', {}, TEXT.intro), status, issued, form, h('h2', {}, TEXT.listHeading), list);
  return () => undefined;
};
