import { allPages, get, post } from './api.js';
import { h } from './dom.js';
import { problem } from './flash.js';

/** Every string this page shows (English for now; they move to the message catalogue with the rest). */
const TEXT = {
  title: 'Facilities',
  intro: 'The places lots pass through. A facility is registered once, with its zones, and never changes.',
  listHeading: 'Registered facilities',
  none: 'No facility is registered yet.',
  incomplete: 'Only the first facilities are shown: there are more than this page reads at once.',
  zones: 'Zones',
  noZones: 'No zones',
  registerHeading: 'Register a facility',
  id: 'Facility id',
  idHelp: 'Letters, digits and . _ : - (starts with a letter or digit), e.g. CW-01. It cannot be changed later.',
  name: 'Name',
  type: 'Type',
  zoneHeading: 'Zones of this facility',
  zoneHelp: 'Each zone has an id unique in the facility, and a kind. A facility may have none.',
  zoneId: (n: number) => `Zone ${n} id`,
  zoneKind: (n: number) => `Zone ${n} kind`,
  removeZone: (n: number) => `Remove zone ${n}`,
  addZone: 'Add a zone',
  submit: 'Register facility',
  registered: (id: string) => `Facility ${id} is registered.`,
  required: 'Fill in the facility id and name.',
  zoneRequired: (n: number) => `Zone ${n} needs an id.`,
  types: { PORT_OF_ENTRY: 'Port of entry', CENTRAL_WAREHOUSE: 'Central warehouse', WHOLESALE_MARKET: 'Wholesale market', RETAIL_STORE: 'Retail store' } as Record<string, string>,
  kinds: { DEDICATED_INTAKE: 'Dedicated intake', DEDICATED_STORAGE: 'Dedicated storage', DEDICATED_SALES: 'Dedicated sales', GENERAL: 'General' } as Record<string, string>,
};

export interface Facility {
  id: string;
  name: string;
  type: string;
  zones: { id: string; kind: string }[];
}

interface FacilityList {
  items: Facility[];
  nextCursor: string | null;
}

/** Every registered facility (GET /api/facilities, page by page). */
export const allFacilities = async (): Promise<{ facilities: Facility[]; complete: boolean }> => {
  const { pages, complete } = await allPages((cursor) => get<FacilityList>('/api/facilities', { limit: 1000, cursor }));
  return { facilities: pages.flatMap((p) => p.items), complete };
};

export const facilityTypeLabel = (type: string): string => TEXT.types[type] ?? type;

const options = (labels: Record<string, string>): HTMLOptionElement[] => Object.entries(labels).map(([value, text]) => h('option', { value }, text));

const facilityList = (facilities: Facility[]): HTMLElement =>
  facilities.length === 0
    ? h('p', { class: 'empty' }, TEXT.none)
    : h(
        'ul',
        { class: 'cards', id: 'facility-list' },
        ...facilities.map((f) =>
          h(
            'li',
            { class: 'card', 'data-facility-id': f.id },
            h('h3', {}, f.name, ' ', h('code', {}, f.id)),
            h('p', {}, facilityTypeLabel(f.type)),
            f.zones.length === 0
              ? h('p', { class: 'muted' }, TEXT.noZones)
              : h('ul', { class: 'zones', 'aria-label': `${TEXT.zones}: ${f.name}` }, ...f.zones.map((z) => h('li', {}, h('code', {}, z.id), ' — ', TEXT.kinds[z.kind] ?? z.kind))),
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
      idLabel.textContent = TEXT.zoneId(n);
      idInput.id = `zone-${n}-id`;
      idLabel.setAttribute('for', idInput.id);
      kindLabel.textContent = TEXT.zoneKind(n);
      kindSelect.id = `zone-${n}-kind`;
      kindLabel.setAttribute('for', kindSelect.id);
      remove.textContent = TEXT.removeZone(n);
    });
  };
  const addZone = () => {
    const row = h(
      'li',
      { class: 'zone-row' },
      h('div', {}, h('label', {}), h('input', { type: 'text', name: 'zoneId', autocomplete: 'off', spellcheck: 'false', required: true, maxlength: 128 })),
      h('div', {}, h('label', {}), h('select', { name: 'zoneKind' }, ...options(TEXT.kinds))),
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
  const addButton = h('button', { type: 'button', class: 'secondary' }, TEXT.addZone);
  addButton.addEventListener('click', addZone);

  const submit = h('button', { type: 'submit' }, TEXT.submit);
  const form = h(
    'form',
    { class: 'panel', id: 'register-facility', 'aria-labelledby': 'register-facility-heading', novalidate: true },
    h('h2', { id: 'register-facility-heading' }, TEXT.registerHeading),
    h('label', { for: 'facility-id' }, TEXT.id),
    h('input', { id: 'facility-id', name: 'id', type: 'text', required: true, autocomplete: 'off', spellcheck: 'false', maxlength: 128, 'aria-describedby': 'facility-id-help' }),
    h('p', { id: 'facility-id-help', class: 'help' }, TEXT.idHelp),
    h('label', { for: 'facility-name' }, TEXT.name),
    h('input', { id: 'facility-name', name: 'name', type: 'text', required: true, autocomplete: 'off', maxlength: 200 }),
    h('label', { for: 'facility-type' }, TEXT.type),
    h('select', { id: 'facility-type', name: 'type' }, ...options(TEXT.types)),
    h('fieldset', { class: 'zones-fieldset' }, h('legend', {}, TEXT.zoneHeading), h('p', { class: 'help' }, TEXT.zoneHelp), zoneRows, addButton),
    error,
    h('div', { class: 'actions' }, submit),
  );
  const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const id = field('id').value.trim();
    const name = field('name').value.trim();
    if (!id || !name) {
      error.replaceChildren(h('p', { class: 'problem' }, TEXT.required));
      (id ? field('name') : field('id')).focus();
      return;
    }
    const zones = [...zoneRows.children].map((row) => ({
      id: (row.querySelector('input') as HTMLInputElement).value.trim(),
      kind: (row.querySelector('select') as HTMLSelectElement).value,
    }));
    const blank = zones.findIndex((z) => !z.id);
    if (blank >= 0) {
      error.replaceChildren(h('p', { class: 'problem' }, TEXT.zoneRequired(blank + 1)));
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
    list.replaceChildren(facilityList(facilities), complete ? '' : h('p', { class: 'muted' }, TEXT.incomplete));
  };
  await refresh();
  const mountForm = (): HTMLElement =>
    registerForm(async (id) => {
      status.replaceChildren(h('p', { class: 'notice' }, TEXT.registered(id)));
      await refresh();
      const fresh = mountForm();
      form.replaceWith(fresh);
      form = fresh;
      (fresh.querySelector('input') as HTMLInputElement).focus();
    });
  let form = mountForm();
  main.replaceChildren(h('h1', {}, TEXT.title), h('p', {}, TEXT.intro), status, form, h('h2', {}, TEXT.listHeading), list);
  return () => undefined;
};
