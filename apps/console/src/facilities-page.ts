import { post } from './api.js';
import { allFacilities, type Facility } from './facilities.js';
import { h } from './dom.js';
import { problem } from './flash.js';
import { codeText, codesOf, t } from './i18n.js';

/** A select's options: every code the catalogue names under `prefix`, in its words. */
const options = (prefix: string): HTMLOptionElement[] => codesOf(prefix).map((value) => h('option', { value }, codeText(prefix, value)));

const facilityList = (facilities: Facility[]): HTMLElement =>
  facilities.length === 0
    ? h('p', { class: 'empty' }, t('facilities.none'))
    : h(
        'ul',
        { class: 'cards', id: 'facility-list' },
        ...facilities.map((f) =>
          h(
            'li',
            { class: 'card', 'data-facility-id': f.id },
            h('h3', {}, f.name, ' ', h('code', {}, f.id)),
            h('p', {}, codeText('facilityType', f.type)),
            f.zones.length === 0
              ? h('p', { class: 'muted' }, t('facilities.noZones'))
              : h('ul', { class: 'zones', 'aria-label': t('facilities.zones', { name: f.name }) }, ...f.zones.map((z) => h('li', {}, h('code', {}, z.id), ' — ', codeText('zoneKind', z.kind)))),
          ),
        ),
      );

/** The register form: id, name, type, and zones as rows added and removed one at a time. */
const registerForm = (onRegistered: (id: string) => Promise<void>): HTMLElement => {
  const error = h('div', { role: 'alert' });
  const zoneRows = h('ol', { class: 'zone-rows' });
  const renumber = () => {
    [...zoneRows.children].forEach((row, i) => {
      const n = i + 1;
      const [idLabel, idInput, kindLabel, kindSelect, remove] = [...row.querySelectorAll('label, input, select, button')] as HTMLElement[];
      idLabel.textContent = t('facilities.zoneId', { n });
      idInput.id = `zone-${n}-id`;
      idLabel.setAttribute('for', idInput.id);
      kindLabel.textContent = t('facilities.zoneKind', { n });
      kindSelect.id = `zone-${n}-kind`;
      kindLabel.setAttribute('for', kindSelect.id);
      remove.textContent = t('facilities.removeZone', { n });
    });
  };
  const addZone = () => {
    const row = h(
      'li',
      { class: 'zone-row' },
      h('div', {}, h('label', {}), h('input', { type: 'text', name: 'zoneId', autocomplete: 'off', spellcheck: 'false', required: true, maxlength: 128 })),
      h('div', {}, h('label', {}), h('select', { name: 'zoneKind' }, ...options('zoneKind'))),
      h('div', {}, h('button', { type: 'button', class: 'secondary' })),
    );
    (row.querySelector('button') as HTMLButtonElement).addEventListener('click', () => {
      const next = (row.nextElementSibling ?? row.previousElementSibling)?.querySelector('input') as HTMLInputElement | null;
      row.remove();
      renumber();
      (next ?? addButton).focus();
    });
    zoneRows.append(row);
    renumber();
    (row.querySelector('input') as HTMLInputElement).focus();
  };
  const addButton = h('button', { type: 'button', class: 'secondary' }, t('facilities.addZone'));
  addButton.addEventListener('click', addZone);

  const submit = h('button', { type: 'submit' }, t('facilities.submit'));
  const form = h(
    'form',
    { class: 'panel', id: 'register-facility', 'aria-labelledby': 'register-facility-heading', novalidate: true },
    h('h2', { id: 'register-facility-heading' }, t('facilities.registerHeading')),
    h('label', { for: 'facility-id' }, t('facilities.id')),
    h('input', { id: 'facility-id', name: 'id', type: 'text', required: true, autocomplete: 'off', spellcheck: 'false', maxlength: 128, 'aria-describedby': 'facility-id-help' }),
    h('p', { id: 'facility-id-help', class: 'help' }, t('facilities.idHelp')),
    h('label', { for: 'facility-name' }, t('facilities.name')),
    h('input', { id: 'facility-name', name: 'name', type: 'text', required: true, autocomplete: 'off', maxlength: 200 }),
    h('label', { for: 'facility-type' }, t('facilities.type')),
    h('select', { id: 'facility-type', name: 'type' }, ...options('facilityType')),
    h('fieldset', { class: 'zones-fieldset' }, h('legend', {}, t('facilities.zoneHeading')), h('p', { class: 'help' }, t('facilities.zoneHelp')), zoneRows, addButton),
    error,
    h('div', { class: 'actions' }, submit),
  );
  const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const id = field('id').value.trim();
    const name = field('name').value.trim();
    if (!id || !name) {
      error.replaceChildren(h('p', { class: 'problem' }, t('facilities.required')));
      (id ? field('name') : field('id')).focus();
      return;
    }
    const zones = [...zoneRows.children].map((row) => ({
      id: (row.querySelector('input') as HTMLInputElement).value.trim(),
      kind: (row.querySelector('select') as HTMLSelectElement).value,
    }));
    const blank = zones.findIndex((z) => !z.id);
    if (blank >= 0) {
      error.replaceChildren(h('p', { class: 'problem' }, t('facilities.zoneRequired', { n: blank + 1 })));
      (zoneRows.children[blank].querySelector('input') as HTMLInputElement).focus();
      return;
    }
    submit.disabled = true;
    error.replaceChildren();
    post('/api/facilities', { id, name, type: field('type').value, zones })
      .then(() => onRegistered(id))
      .catch((e: unknown) => {
        error.replaceChildren(problem(e));
        submit.disabled = false;
      });
  });
  return form;
};

/** #/facilities: the registered facilities, and a form to register one. */
export const renderFacilities = async (main: HTMLElement): Promise<() => void> => {
  const status = h('div', { role: 'status', class: 'live' });
  const list = h('div', {});
  const refresh = async () => {
    const { facilities, complete } = await allFacilities();
    list.replaceChildren(facilityList(facilities), complete ? '' : h('p', { class: 'muted' }, t('facilities.incomplete')));
  };
  await refresh();
  const mountForm = (): HTMLElement =>
    registerForm(async (id) => {
      status.replaceChildren(h('p', { class: 'notice' }, t('facilities.registered', { id })));
      await refresh();
      const fresh = mountForm();
      form.replaceWith(fresh);
      form = fresh;
      (fresh.querySelector('input') as HTMLInputElement).focus();
    });
  let form = mountForm();
  main.replaceChildren(h('h1', {}, t('facilities.title')), h('p', {}, t('facilities.intro')), status, form, h('h2', {}, t('facilities.listHeading')), list);
  return () => undefined;
};
