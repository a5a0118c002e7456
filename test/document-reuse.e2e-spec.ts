import { createTestApp, TestApp } from './support/test-app';
import { attachDocument, registerLot, registerNetwork, uid } from './support/fixtures';

/**
 * The document-reuse rule reads, inside the attachment's own transaction,
 * which other lots carry the document: attachments of one document made at
 * the same time see each other as they would one after the other.
 */
describe('document reuse under concurrent attachments (e2e, real PostgreSQL, two app instances)', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await createTestApp();
    b = await createTestApp({}, a);
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  const flagsOf = async (traceCode: string, position: number): Promise<{ flag: string; message: string }[]> =>
    (await a.http().get(`/api/lots/${traceCode}?atLeast=${position}`).expect(200)).body.flags;

  it('the same document attached at once to two unrelated lots: the later one is flagged, naming the first', async () => {
    const n = await registerNetwork(a);
    const lots = [(await registerLot(a, n)).traceCode, (await registerLot(a, n)).traceCode];
    const number = `DIS-${uid()}`;
    const attached = await Promise.all(lots.map((tc, i) => attachDocument(i % 2 ? a : b, tc, 'DISINFECTION', { number })));
    const [first, later] = attached[0].position < attached[1].position ? [0, 1] : [1, 0];
    expect(await flagsOf(lots[first], attached[first].position)).toEqual([]);
    expect(await flagsOf(lots[later], attached[later].position)).toEqual([
      expect.objectContaining({ flag: 'DOCUMENT_REUSED', message: expect.stringContaining(lots[first]) }),
    ]);
  });

  it('a document already on a lot, attached at once to two more unrelated lots: both are flagged, the later naming both others', async () => {
    const n = await registerNetwork(a);
    const holder = (await registerLot(a, n)).traceCode;
    const number = `IQ-${uid()}`;
    await attachDocument(a, holder, 'INSPECTION_QUARANTINE', { number });
    const lots = [(await registerLot(a, n)).traceCode, (await registerLot(a, n)).traceCode];
    const attached = await Promise.all(lots.map((tc, i) => attachDocument(i % 2 ? a : b, tc, 'INSPECTION_QUARANTINE', { number })));
    const [first, later] = attached[0].position < attached[1].position ? [0, 1] : [1, 0];
    const firstFlags = await flagsOf(lots[first], attached[first].position);
    const laterFlags = await flagsOf(lots[later], attached[later].position);
    expect(firstFlags).toEqual([expect.objectContaining({ flag: 'DOCUMENT_REUSED', message: expect.stringContaining(holder) })]);
    expect(firstFlags[0].message).not.toContain(lots[later]);
    expect(laterFlags).toEqual([expect.objectContaining({ flag: 'DOCUMENT_REUSED', message: expect.stringContaining(holder) })]);
    expect(laterFlags[0].message).toContain(lots[first]);
  });
});
