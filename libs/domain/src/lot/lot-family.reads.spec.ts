import { deepFreeze } from '../testing/given-when-then';
import { nucleicAcidTest, TRACE_CODE } from '../testing/lot-fixtures';
import { familyReadsOf, LotFamilyRequest, lotsRead, withFamily } from './lot-family.decider';

/** given a command as its caller states it, when planned, then what it reads inside its transaction beyond the lots it names. */
const given = (request: LotFamilyRequest) => ({
  thenReads: (expected: ReturnType<typeof familyReadsOf>) => expect(familyReadsOf(deepFreeze(request))).toEqual(expected),
});

const nothing = { descendantsOf: null, batchOf: null, documentOf: null, temperatureLogOf: null };
const read = { descendants: [{ traceCode: 'CHILD', viaParent: TRACE_CODE }], batch: ['IMPORT', 'SIBLING'], alsoOn: [{ traceCode: 'OTHER', sameGenealogy: false, sameDeclaration: false }], temperatureLog: [] };

describe('familyReadsOf / withFamily: what a lot command reads, stated by the domain', () => {
  it('a destruction: only the lot it names', () => {
    given({ type: 'DestroyLot', traceCode: TRACE_CODE, reason: 'spoiled' }).thenReads(nothing);
  });

  it('a lock, an unlock, a recall: the lot\'s descendants', () => {
    for (const request of [
      { type: 'LockLot', traceCode: TRACE_CODE, reason: 'r' },
      { type: 'UnlockLot', traceCode: TRACE_CODE, reason: 'r' },
      { type: 'RecallLot', traceCode: TRACE_CODE, recallId: 'R-1', reason: 'r' },
    ] as const) {
      given(request).thenReads({ ...nothing, descendantsOf: { traceCode: TRACE_CODE, withParents: false } });
    }
  });

  it('a document: the descendants with the parent each came through, and the other lots carrying it', () => {
    const document = nucleicAcidTest('NEGATIVE');
    given({ type: 'AttachDocument', traceCode: TRACE_CODE, data: { document }, recallId: 'R-1' }).thenReads({
      descendantsOf: { traceCode: TRACE_CODE, withParents: true },
      batchOf: null,
      documentOf: { traceCode: TRACE_CODE, document },
      temperatureLogOf: null,
    });
  });

  it('a POSITIVE test: its whole batch as well', () => {
    const document = nucleicAcidTest('POSITIVE');
    given({ type: 'AttachDocument', traceCode: TRACE_CODE, data: { document }, recallId: 'R-1' }).thenReads({
      descendantsOf: { traceCode: TRACE_CODE, withParents: true },
      batchOf: TRACE_CODE,
      documentOf: { traceCode: TRACE_CODE, document },
      temperatureLogOf: null,
    });
  });

  it('withFamily gives the command what was read, and the lots it then reads include them', () => {
    const document = nucleicAcidTest('POSITIVE');
    const command = withFamily(deepFreeze({ type: 'AttachDocument', traceCode: TRACE_CODE, data: { document }, recallId: 'R-1' }), deepFreeze(read));
    expect(command).toEqual({ type: 'AttachDocument', traceCode: TRACE_CODE, data: { document, alsoOn: read.alsoOn }, recallId: 'R-1', descendants: read.descendants, batch: read.batch });
    expect(lotsRead(command).sort()).toEqual([TRACE_CODE, 'CHILD', 'IMPORT', 'SIBLING'].sort());
    expect(withFamily({ type: 'LockLot', traceCode: TRACE_CODE, reason: 'r' }, read)).toEqual({ type: 'LockLot', traceCode: TRACE_CODE, reason: 'r', descendants: ['CHILD'] });
  });
});
