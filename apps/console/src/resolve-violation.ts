import { lotPath, post } from './api.js';
import { fromLocalInput, h, when } from './dom.js';
import { allFacilities, facilityText, type Facility } from './facilities.js';
import { flash, problem } from './flash.js';
import { codeText, t, timeZoneOffset, tn } from './i18n.js';
import type { Lot, ResolveAnswer } from './types.js';

type Violation = Lot['violations'][number];

/** The facilities a correction may name, read once per lot page, when a form first opens. */
type FacilityChoices = () => Promise<Facility[]>;

const facilityChoices = (): FacilityChoices => {
  let read: Promise<Facility[]> | null = null;
  return () => {
    read ??= allFacilities().then((r) => r.facilities);
    // A failed read is asked again next time.
    read.catch(() => (read = null));
    return read;
  };
};

/**
 * The form resolving one violation: a required reason, and optionally where
 * the lot in fact was (a facility and zone chosen from the registered ones,
 * from a time read at the console's offset). POST …/violations/:id/resolve;
 * the API judges the correction (ZONE_NOT_IN_FACILITY, OCCURRED_BEFORE_ENTRY)
 * and the page says its answer in words.
 */
const resolveForm = (lot: Lot, v: Violation, n: number, facilities: Facility[], close: () => void): HTMLFormElement => {
  const id = (name: string): string => `resolve-${n}-${name}`;
  const result = h('div', { id: id('result'), 'aria-live': 'polite' });
  const reason = h('textarea', { id: id('reason'), name: 'reason', required: true, rows: 2, maxlength: 500 });
  const facility = h(
    'select',
    { id: id('facility'), name: 'facilityId', 'aria-describedby': id('correction-help') },
    h('option', { value: '' }, t('resolve.noCorrection')),
    ...facilities.map((f) => h('option', { value: f.id }, `${f.name} (${f.id}) · ${codeText('facilityType', f.type)}`)),
  );
  const zone = h('select', { id: id('zone'), name: 'zoneId', disabled: true });
  const occurred = h('input', { id: id('time'), name: 'occurredAt', type: 'datetime-local', disabled: true, 'aria-describedby': id('time-help') });
  const fillZones = (): void => {
    const chosen = facilities.find((f) => f.id === facility.value);
    zone.replaceChildren(
      h('option', { value: '' }, t('resolve.noZone')),
      ...(chosen?.zones ?? []).map((z) => h('option', { value: z.id }, `${z.id} · ${codeText('zoneKind', z.kind)}`)),
    );
    zone.disabled = !chosen || chosen.zones.length === 0;
    occurred.disabled = !chosen;
  };
  facility.addEventListener('change', fillZones);
  fillZones();
  const submit = h('button', { type: 'submit' }, t('resolve.submit'));
  const cancel = h('button', { type: 'button', class: 'secondary', onclick: close }, t('confirm.cancel'));
  const invalid = (field: HTMLElement, message: string): void => {
    field.setAttribute('aria-invalid', 'true');
    result.replaceChildren(h('p', { class: 'problem', role: 'alert' }, message));
    field.focus();
  };

  const form = h(
    'form',
    { class: 'resolve-form', id: id('form'), novalidate: true, 'aria-labelledby': id('heading') },
    h('h3', { id: id('heading') }, t('resolve.title', { kind: codeText('violation', v.kind) })),
    h('label', { for: id('reason') }, t('resolve.reason')),
    reason,
    h(
      'fieldset',
      {},
      h('legend', {}, t('resolve.correction')),
      h('p', { id: id('correction-help'), class: 'help' }, t('resolve.correctionHelp')),
      h('label', { for: id('facility') }, t('resolve.facility')),
      facility,
      h('label', { for: id('zone') }, t('resolve.zone')),
      zone,
      h('label', { for: id('time') }, t('resolve.time', { offset: `UTC${timeZoneOffset()}` })),
      occurred,
      h('p', { id: id('time-help'), class: 'help' }, t('resolve.timeHelp', { time: when(v.occurredAt) })),
    ),
    h('div', { class: 'actions' }, submit, ' ', cancel),
    result,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    for (const field of [reason, occurred]) field.removeAttribute('aria-invalid');
    const text = reason.value.trim();
    if (!text) return invalid(reason, t('resolve.needReason'));
    const occurredAt = facility.value && occurred.value ? fromLocalInput(occurred.value) : null;
    if (facility.value && occurred.value && !occurredAt) return invalid(occurred, t('resolve.badTime'));
    const correction = facility.value ? { facilityId: facility.value, ...(zone.value ? { zoneId: zone.value } : {}), ...(occurredAt ? { occurredAt } : {}) } : undefined;
    submit.disabled = true;
    result.replaceChildren(h('p', { role: 'status' }, t('actions.sending')));
    post<ResolveAnswer>(`${lotPath(lot.traceCode)}/violations/${encodeURIComponent(v.id)}/resolve`, { reason: text, ...(correction ? { correction } : {}) })
      .then((answer) => {
        const done = tn('resolve.done', answer.lotsAffected, { kind: codeText('violation', v.kind), traceCode: lot.traceCode });
        flash(correction ? `${done} ${t('resolve.corrected', { facility: facilityText(correction.facilityId) })}` : done);
        location.hash = `#/lots/${encodeURIComponent(lot.traceCode)}?atLeast=${answer.position}`;
      })
      .catch((e: unknown) => {
        result.replaceChildren(problem(e));
        submit.disabled = false;
      });
  });
  return form;
};

/** One violation of the lot; an open one with a Resolve button that opens its form beneath. */
const violationItem = (lot: Lot, v: Violation, n: number, choices: FacilityChoices): HTMLElement => {
  const text = t('lot.violation', { kind: codeText('violation', v.kind), status: codeText('violationStatus', v.status), message: v.message, facility: facilityText(v.facilityId), time: when(v.occurredAt) });
  if (v.status !== 'OPEN') return h('li', { 'data-code': v.kind, 'data-violation-id': v.id }, text);
  const slot = h('div', { id: `resolve-${n}`, hidden: true });
  const open = h('button', { type: 'button', class: 'secondary', 'aria-expanded': 'false', 'aria-controls': slot.id }, t('resolve.open'));
  const close = (): void => {
    slot.hidden = true;
    open.setAttribute('aria-expanded', 'false');
    open.focus();
  };
  // A flag, not `disabled`, while the facilities load: focus stays on the button.
  let loading = false;
  open.addEventListener('click', () => {
    if (!slot.hidden) return close();
    if (loading) return;
    loading = true;
    choices()
      .then((facilities) => {
        if (!slot.querySelector('form')) slot.replaceChildren(resolveForm(lot, v, n, facilities, close));
        slot.hidden = false;
        open.setAttribute('aria-expanded', 'true');
        slot.querySelector('textarea')?.focus();
      })
      .catch((e: unknown) => {
        slot.replaceChildren(problem(e));
        slot.hidden = false;
        open.setAttribute('aria-expanded', 'true');
      })
      .finally(() => (loading = false));
  });
  return h('li', { 'data-code': v.kind, 'data-violation-id': v.id }, text, ' ', open, slot);
};

/** The lot's trace violations, each open one resolvable here. */
export const violationsSection = (lot: Lot): HTMLElement | null => {
  if (!lot.violations.length) return null;
  const choices = facilityChoices();
  return h(
    'section',
    { 'aria-labelledby': 'violations-heading' },
    h('h2', { id: 'violations-heading' }, t('lot.violations')),
    h('ul', { id: 'violations' }, ...lot.violations.map((v, n) => violationItem(lot, v, n, choices))),
  );
};
