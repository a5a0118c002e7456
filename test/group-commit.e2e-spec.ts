import type { Response } from 'supertest';
import type { App } from 'supertest/types';
import { createTestApp, TestApp } from './support/test-app';
import { Network, registerLot, registerNetwork, scanBody, uid } from './support/fixtures';
import { scrape, valueOf } from './support/metrics';

/** What a client learns from an answer, but for where its event landed (the order of concurrent commands on a lot is theirs to pick). */
const answerOf = (r: Response) => {
  const { position: _position, version: _version, events, ...body } = r.body as Record<string, unknown>;
  return { status: r.status, body: events === undefined ? body : { ...body, events: (events as { type: string }[]).map((e) => e.type) } };
};

/**
 * The commands of one lot, in the order they are sent: scans that go
 * through, one the domain refuses, one sent twice (a retry), and one scan id
 * sent with two different bodies. Every one of them is accepted or refused
 * the same way whichever order they are settled in, so the answers given
 * under load can be compared with those given one at a time.
 */
const commandsFor = (traceCode: string, n: Network, tag: string) => {
  const at = { traceCode, facilityId: n.port, occurredAt: new Date(Date.now() - 60_000).toISOString() };
  const retried = scanBody({ ...at, action: 'SAMPLE', scanId: `G-${tag}-retried` });
  return [
    scanBody({ ...at, action: 'SAMPLE', scanId: `G-${tag}-a` }),
    scanBody({ ...at, action: 'DISINFECT', scanId: `G-${tag}-b` }),
    // A port has no zones: refused whatever came before.
    scanBody({ ...at, action: 'STORE', zoneId: 'NOWHERE', scanId: `G-${tag}-refused` }),
    retried,
    retried,
    // One scan id, two bodies: whichever is settled first is recorded, the other is IDEMPOTENCY_KEY_REUSED.
    scanBody({ ...at, action: 'DISINFECT', temperatureC: -20, scanId: `G-${tag}-reused` }),
    scanBody({ ...at, action: 'DISINFECT', temperatureC: -21, scanId: `G-${tag}-reused` }),
    scanBody({ ...at, action: 'SAMPLE', scanId: `G-${tag}-c` }),
  ];
};

type Scan = ReturnType<typeof commandsFor>[number];

const LOTS = 8;

describe('group commit (e2e, real PostgreSQL): concurrent lone scans share transactions, each keeps its own answer', () => {
  let grouped: TestApp;
  let alone: TestApp;
  beforeAll(async () => {
    grouped = await createTestApp();
    alone = await createTestApp();
  });
  afterAll(async () => {
    await grouped.close();
    await alone.close();
  });

  /** The same facilities and lots on both databases. */
  const seed = async (t: TestApp, tag: string, traceCodes: string[]) => {
    const n = await registerNetwork(t, tag);
    for (const tc of traceCodes) await registerLot(t, n, tc);
    return n;
  };

  const scansOf = async (t: TestApp, traceCode: string) => {
    const stream = await t.store.readStream(`lot-${traceCode}`);
    return { stream, scanIds: stream.events.map((e) => (e.data as { scanId?: string }).scanId).filter((s): s is string => typeof s === 'string') };
  };

  it('64 concurrent scans over 8 lots: the answers given alone, versions contiguous, no scan lost or doubled, fewer commits than commands', async () => {
    const tag = uid();
    const traceCodes = Array.from({ length: LOTS }, (_, i) => `LOT-G${i}-${tag}`);
    const n = await seed(grouped, tag, traceCodes);
    await seed(alone, tag, traceCodes);
    const perLot = traceCodes.map((tc, i) => commandsFor(tc, n, `${tag}-${i}`));
    // Interleaved across lots, in each lot's order: the 64 requests all go out at once.
    const sent: { lot: number; k: number; scan: Scan }[] = [];
    for (let k = 0; k < perLot[0].length; k++) perLot.forEach((scans, lot) => sent.push({ lot, k, scan: scans[k] }));
    expect(sent).toHaveLength(64);

    const server = grouped.app.getHttpServer() as App;
    const before = await scrape(server);
    const answers = await Promise.all(sent.map(({ scan }) => grouped.http().post('/api/scans').send(scan)));
    const after = await scrape(server);

    // Which body of a reused scan id won is for the grouped run to say: the lone run sends it first.
    const winners = new Map<string, number>();
    for (const tc of traceCodes) {
      const { stream } = await scansOf(grouped, tc);
      const reused = stream.events.find((e) => (e.data as { scanId?: string }).scanId?.endsWith('-reused'));
      winners.set(tc, (reused!.data as { temperatureC: number }).temperatureC);
    }
    // Each lot's commands one at a time on the other database; expected[lot][k] answers perLot[lot][k].
    const expected: ReturnType<typeof answerOf>[][] = [];
    for (const [lot, scans] of perLot.entries()) {
      const order = scans.map((_, k) => k);
      if (scans[6].temperatureC === winners.get(traceCodes[lot])) [order[5], order[6]] = [6, 5];
      expected[lot] = [];
      for (const k of order) expected[lot][k] = answerOf(await alone.http().post('/api/scans').send(scans[k]));
      // Alone, the retry answers as the first send did.
      expect(expected[lot][4]).toEqual(expected[lot][3]);
    }

    // Every answer is the one the same command got alone.
    answers.forEach((r, i) => expect(answerOf(r)).toEqual(expected[sent[i].lot][sent[i].k]));
    expect(answers.map((r) => r.status).sort()).toEqual(
      [...Array<number>(8 * 6).fill(201), ...Array<number>(8).fill(409), ...Array<number>(8).fill(422)].sort(),
    );
    expect(answers.filter((r) => r.status === 422).map((r) => r.body.code)).toEqual(Array(8).fill('ZONE_NOT_IN_FACILITY'));
    expect(answers.filter((r) => r.status === 409).map((r) => r.body.code)).toEqual(Array(8).fill('IDEMPOTENCY_KEY_REUSED'));

    for (const [lot, tc] of traceCodes.entries()) {
      const { stream, scanIds } = await scansOf(grouped, tc);
      // Versions contiguous; each accepted scan recorded exactly once, the refused one never.
      expect(stream.events.map((e) => e.version)).toEqual(Array.from({ length: stream.version }, (_, i) => i + 1));
      const tagOf = `${tag}-${lot}`;
      expect([...scanIds].sort()).toEqual([`G-${tagOf}-a`, `G-${tagOf}-b`, `G-${tagOf}-c`, `G-${tagOf}-retried`, `G-${tagOf}-reused`].sort());
      // Each answer names the version its scan's event got (a retry: the first's).
      sent.forEach(({ lot: l, scan }, i) => {
        if (l !== lot || answers[i].status !== 201) return;
        const event = stream.events.find((e) => (e.data as { scanId?: string }).scanId === scan.scanId)!;
        expect(answers[i].body.version).toBe(event.version);
        expect(answers[i].body.events).toEqual([{ type: event.type, version: event.version }]);
      });
    }

    // Every command that reached a transaction was settled by one, and they shared them.
    const commits = valueOf(after, 'coldtrace_command_commits_total') - valueOf(before, 'coldtrace_command_commits_total');
    const settledByCommits = valueOf(after, 'coldtrace_command_committed_commands_total') - valueOf(before, 'coldtrace_command_committed_commands_total');
    expect(settledByCommits).toBeGreaterThanOrEqual(8 * 6);
    expect(commits).toBeLessThan(settledByCommits);
  });
});
