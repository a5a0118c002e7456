import { get, post } from './api.js';
import { copyButton } from './copy.js';
import { facts, h, time } from './dom.js';
import { problem } from './flash.js';
import { codeText, num, t, tn } from './i18n.js';
import type { MessageKey } from './messages-en.js';

/** GET /api/audit/digest: the log's digest as of `position`, signed. */
interface LogDigest {
  position: number;
  digest: string;
  streams: number;
  computedAt: string;
  signingKeyId: string;
  signature: string;
}

/** POST /api/audit/digest/verify. */
interface LogDigestCheck {
  position: number;
  consistent: boolean;
  digest: string | null;
  valid: boolean;
  streams: number;
  events: number;
  invalid: { streamId: string; firstInvalidVersion: number; reason: string }[];
  invalidStreams: number;
}

/** GET /api/audit/lots/:traceCode/verify. */
interface LotChain {
  traceCode: string;
  valid: boolean;
  events: number;
  headHash: string | null;
  firstInvalidVersion?: number;
  reason?: string;
}

interface KeptDigest {
  position: number;
  digest: string;
}

const DIGEST = /^[0-9a-f]{64}$/;

/**
 * A digest as a regulator kept it: the JSON this page copies (what
 * GET /api/audit/digest answered), or `POSITION:HEX` as `npm run
 * audit:verify -- --digest` takes it. Null when it is neither.
 */
export const parseKeptDigest = (text: string): KeptDigest | null => {
  const kept = text.trim();
  const line = /^(\d+)\s*:\s*([0-9a-fA-F]{64})$/.exec(kept);
  if (line) return { position: Number(line[1]), digest: line[2].toLowerCase() };
  try {
    const parsed = JSON.parse(kept) as Partial<Record<keyof KeptDigest, unknown>> | null;
    const position = typeof parsed?.position === 'string' ? Number(parsed.position) : parsed?.position;
    const digest = typeof parsed?.digest === 'string' ? parsed.digest.toLowerCase() : null;
    return typeof position === 'number' && Number.isSafeInteger(position) && position >= 1 && digest !== null && DIGEST.test(digest) ? { position, digest } : null;
  } catch {
    return null;
  }
};

/** A verdict in words with its symbol: colour only adds to them. */
const verdict = (ok: boolean, text: string, id: string): HTMLElement => h('p', { id, class: ok ? 'verdict ok' : 'verdict blocked', 'data-ok': String(ok) }, `${ok ? '✓' : '✗'} ${text}`);

/** Long hexadecimal values break anywhere, so a phone screen holds them. */
const hex = (value: string): HTMLElement => h('code', { class: 'hex' }, value);

const takeDigestSection = (): HTMLElement => {
  const result = h('div', { id: 'digest-taken', 'aria-live': 'polite' });
  const button = h('button', { type: 'button', id: 'take-digest' }, t('audit.take.button'));
  button.addEventListener('click', () => {
    button.disabled = true;
    result.replaceChildren(h('p', { role: 'status' }, t('audit.take.taking')));
    get<LogDigest>('/api/audit/digest')
      .then((d) => {
        // What is kept is exactly what the API answered, on one line (a line of a kept-digests file).
        const kept = h('textarea', { id: 'digest-json', readonly: true, rows: 4, spellcheck: 'false', class: 'token', 'aria-describedby': 'digest-json-help' });
        kept.value = JSON.stringify(d);
        result.replaceChildren(
          facts([
            [t('audit.digest.position'), num(d.position)],
            [t('audit.digest.takenAt'), time(d.computedAt)],
            [t('audit.digest.signingKey'), hex(d.signingKeyId)],
            [t('audit.digest.streams'), num(d.streams)],
            [t('audit.digest.value'), hex(d.digest)],
          ]),
          h('label', { for: 'digest-json' }, t('audit.digest.keep')),
          kept,
          h('p', { id: 'digest-json-help', class: 'help' }, t('audit.digest.keepHelp')),
          copyButton(kept, { copy: t('audit.copy'), copied: t('audit.copied'), failed: t('audit.copyFailed') }),
        );
      })
      .catch((e: unknown) => result.replaceChildren(problem(e)))
      .finally(() => (button.disabled = false));
  });
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'take-heading' },
    h('h2', { id: 'take-heading' }, t('audit.take.heading')),
    h('p', { class: 'help' }, t('audit.take.help')),
    h('div', { class: 'actions' }, button),
    result,
  );
};

const digestCheck = (check: LogDigestCheck): HTMLElement[] => [
  verdict(check.consistent, t(check.consistent ? 'audit.verify.consistent' : check.digest === null ? 'audit.verify.gone' : 'audit.verify.inconsistent', { position: num(check.position) }), 'digest-consistent'),
  verdict(check.valid, check.valid ? t('audit.verify.valid') : tn('audit.verify.invalid', check.invalidStreams), 'digest-valid'),
  ...(check.invalid.length
    ? [
        h(
          'ul',
          { id: 'invalid-streams' },
          ...check.invalid.map((s) =>
            h('li', { 'data-code': s.reason, title: s.reason }, t('audit.verify.invalidStream', { stream: s.streamId, version: num(s.firstInvalidVersion), reason: codeText('chainFailure', s.reason) })),
          ),
        ),
      ]
    : []),
  ...(check.invalid.length < check.invalidStreams ? [h('p', { class: 'help' }, t('audit.verify.invalidFirst', { shown: num(check.invalid.length) }))] : []),
  facts([
    [t('audit.verify.recomputed'), check.digest ? hex(check.digest) : null],
    [t('audit.verify.events'), num(check.events)],
    [t('audit.verify.streams'), num(check.streams)],
  ]),
];

/** What a check form's `check` answers: a field refused (marked, and why said in the alert), or the request under way. */
type Checking = { refused: HTMLElement; why: string } | { saying: string; answer: Promise<HTMLElement[]> };

/**
 * A form that asks the API to check something: its heading, help and fields,
 * an alert saying what is wrong with a field, then the answer below it. The
 * fields are judged before any request; a new check clears the last answer.
 */
const checkForm = (id: string, text: { heading: MessageKey; help: MessageKey; button: MessageKey }, fields: HTMLElement[], check: () => Checking): HTMLElement => {
  const alert = h('div', { role: 'alert' });
  const result = h('div', { id: `${id}-result`, 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit' }, t(text.button));
  const form = h(
    'form',
    { class: 'panel', id, 'aria-labelledby': `${id}-heading`, novalidate: true },
    h('h2', { id: `${id}-heading` }, t(text.heading)),
    h('p', { id: `${id}-help`, class: 'help' }, t(text.help)),
    ...fields,
    alert,
    h('div', { class: 'actions' }, submit),
    result,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    for (const field of form.querySelectorAll('[aria-invalid]')) field.removeAttribute('aria-invalid');
    alert.replaceChildren();
    result.replaceChildren();
    const checking = check();
    if ('refused' in checking) {
      checking.refused.setAttribute('aria-invalid', 'true');
      alert.replaceChildren(h('p', { class: 'problem' }, checking.why));
      checking.refused.focus();
      return;
    }
    submit.disabled = true;
    result.replaceChildren(h('p', { role: 'status' }, checking.saying));
    checking.answer
      .then((answer) => result.replaceChildren(...answer))
      .catch((e: unknown) => result.replaceChildren(problem(e)))
      .finally(() => (submit.disabled = false));
  });
  return form;
};

const verifyDigestSection = (): HTMLElement => {
  const pasted = h('textarea', { id: 'kept-digest', name: 'kept', rows: 3, spellcheck: 'false', autocomplete: 'off', class: 'token', 'aria-describedby': 'verify-digest-help' });
  const position = h('input', { id: 'kept-position', name: 'position', type: 'text', inputmode: 'numeric', autocomplete: 'off' });
  const digest = h('input', { id: 'kept-hex', name: 'digest', type: 'text', autocomplete: 'off', spellcheck: 'false', maxlength: 64, class: 'token' });
  // Pasting what was kept fills the two fields, which are what is sent.
  pasted.addEventListener('input', () => {
    const kept = parseKeptDigest(pasted.value);
    if (kept) {
      position.value = String(kept.position);
      digest.value = kept.digest;
    }
  });
  const fields = [
    h('label', { for: 'kept-digest' }, t('audit.verify.paste')),
    pasted,
    h('div', { class: 'digest-fields' }, h('div', {}, h('label', { for: 'kept-position' }, t('audit.verify.position')), position), h('div', {}, h('label', { for: 'kept-hex' }, t('audit.verify.digest')), digest)),
  ];
  return checkForm('verify-digest', { heading: 'audit.verify.heading', help: 'audit.verify.help', button: 'audit.verify.button' }, fields, () => {
    if (pasted.value.trim() && !position.value.trim() && !digest.value.trim() && !parseKeptDigest(pasted.value)) return { refused: pasted, why: t('audit.verify.unreadable') };
    const at = Number(position.value.trim());
    if (!/^\d+$/.test(position.value.trim()) || !Number.isSafeInteger(at) || at < 1) return { refused: position, why: t('audit.verify.needPosition') };
    const hexDigest = digest.value.trim().toLowerCase();
    if (!DIGEST.test(hexDigest)) return { refused: digest, why: t('audit.verify.needDigest') };
    return { saying: t('audit.verify.checking', { position: num(at) }), answer: post<LogDigestCheck>('/api/audit/digest/verify', { position: at, digest: hexDigest }).then(digestCheck) };
  });
};

const lotChain = (chain: LotChain): HTMLElement[] => [
  chain.valid
    ? verdict(true, t('audit.lot.valid', { traceCode: chain.traceCode }), 'chain-verdict')
    : verdict(false, t('audit.lot.invalid', { traceCode: chain.traceCode, version: num(chain.firstInvalidVersion ?? 0), reason: codeText('chainFailure', chain.reason) }), 'chain-verdict'),
  facts([
    [t('audit.lot.events'), num(chain.events)],
    [t('audit.lot.headHash'), chain.headHash ? hex(chain.headHash) : null],
  ]),
];

const verifyLotSection = (): HTMLElement => {
  const traceCode = h('input', { id: 'chain-trace-code', name: 'traceCode', type: 'text', required: true, autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'verify-chain-help' });
  return checkForm('verify-chain', { heading: 'audit.lot.heading', help: 'audit.lot.help', button: 'audit.lot.button' }, [h('label', { for: 'chain-trace-code' }, t('audit.lot.traceCode')), traceCode], () => {
    const code = traceCode.value.trim();
    if (!code) return { refused: traceCode, why: t('audit.lot.needTraceCode') };
    return { saying: t('audit.lot.checking', { traceCode: code }), answer: get<LotChain>(`/api/audit/lots/${encodeURIComponent(code)}/verify`).then(lotChain) };
  });
};

/**
 * #/audit: take a digest of the whole log (shown with its position, time and
 * key, copyable to keep elsewhere), verify one kept earlier, verify one lot's
 * chain. The API's routes as a script would call them (docs/security.md, Tamper evidence).
 */
export const renderAudit = async (main: HTMLElement): Promise<() => void> => {
  main.replaceChildren(h('h1', {}, t('audit.title')), h('p', {}, t('audit.intro')), takeDigestSection(), verifyDigestSection(), verifyLotSection());
  return () => undefined;
};
