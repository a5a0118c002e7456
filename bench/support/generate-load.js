'use strict';
/**
 * autocannon, programmatically, in its own process, for the write rows: every
 * request gets a body of its own (a unique scanId per scan, the lots taken in
 * turn). Same engine and output as the CLI's `-j`.
 *
 *   node bench/support/generate-load.js <config.json>
 *
 * config: {url, path, headers, connections, duration, timeout, generator}
 *   generator {kind: 'scan', template, traceCodes, actions, idPrefix}
 *     one scan per request: template + scanId `<idPrefix>.<n>`, traceCodes[n % lots],
 *     actions taken in turn per round over the lots
 *   generator {kind: 'batch', size, template, traceCodes, actions, idPrefix}
 *     `{scans: [...]}` of `size` such scans per request
 *   generator {kind: 'read', pathTemplate, traceCodes}
 *     GET pathTemplate with `:traceCode` replaced, the lots taken in turn (no body)
 *   generator {kind: 'temperatures', pathTemplate, traceCodes, deviceId, readings, endAt}
 *     POST pathTemplate with `:traceCode` replaced, each lot once in turn, body
 *     {deviceId, readings}: `readings` readings a minute apart, the last at `endAt`
 *     (epoch ms), the same for every lot
 * With `amount`, exactly that many requests (autocannon's `amount`: `duration` is ignored), and
 * `answeredInMs`, from the start to the last answer: autocannon notices the end only at its next
 * one-second sample, so its `duration` is whole seconds too long for a fixed amount of work.
 * Prints autocannon's result as JSON.
 */
// Registered first: a stop asked for while autocannon is still loading ends the load as soon as it starts.
let instance = null;
let stopping = false;
process.on('SIGTERM', () => {
  stopping = true;
  instance?.stop();
});
const { readFileSync } = require('node:fs');
const autocannon = require('autocannon');

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const g = config.generator;
const lots = g.traceCodes.length;
let read = 0;
const readPath = () => g.pathTemplate.replace(':traceCode', g.traceCodes[read++ % lots]);

// The template without its per-scan fields, pre-serialised: each scan is then a few concatenations.
const rest = JSON.stringify({ ...g.template, scanId: undefined, traceCode: undefined, action: undefined }).slice(1, -1);
let n = 0;
const scan = () => {
  const i = n++;
  const action = g.actions[Math.floor(i / lots) % g.actions.length];
  return `{"scanId":"${g.idPrefix}.${i}","traceCode":"${g.traceCodes[i % lots]}","action":"${action}"${rest ? `,${rest}` : ''}}`;
};

// A logger's upload, serialised once: every lot gets the same readings (each lot's log is judged on its own).
const upload =
  g.kind === 'temperatures'
    ? JSON.stringify({
        deviceId: g.deviceId,
        readings: Array.from({ length: g.readings }, (_, i) => ({ at: new Date(g.endAt - (g.readings - 1 - i) * 60_000).toISOString(), celsius: -20 + (i % 10) / 10 })),
      })
    : null;

const body =
  g.kind === 'batch'
    ? () => {
        const scans = new Array(g.size);
        for (let k = 0; k < g.size; k++) scans[k] = scan();
        return `{"scans":[${scans.join(',')}]}`;
      }
    : scan;

const started = performance.now();
let lastAnswer = started;
instance = autocannon(
  {
    url: config.url,
    connections: config.connections,
    duration: config.duration,
    ...(config.amount ? { amount: config.amount } : {}),
    timeout: config.timeout || 10,
    headers: { 'content-type': 'application/json', ...(config.headers || {}) },
    requests: [
      g.kind === 'read'
        ? { method: 'GET', path: readPath(), setupRequest: (req) => ({ ...req, path: readPath() }) }
        : g.kind === 'temperatures'
          ? // setupRequest runs once per request sent (the first when the client is made): each lot once.
            { method: 'POST', setupRequest: (req) => ({ ...req, path: readPath(), body: upload }) }
          : { method: 'POST', path: config.path, setupRequest: (req) => ({ ...req, body: body() }) },
    ],
  },
  (err, result) => {
    if (err) {
      console.error(err);
      process.exit(1);
    }
    process.stdout.write(JSON.stringify(config.amount ? { ...result, answeredInMs: lastAnswer - started } : result));
  },
);
instance.on('response', () => (lastAnswer = performance.now()));
if (stopping) instance.stop();
