import { deepFreeze } from '../testing/given-when-then';
import { customsDeclaration, nucleicAcidTest, registered, TRACE_CODE, withPapers } from '../testing/lot-fixtures';
import { DocumentCarrier, documentAlsoOn, DocumentTarget } from './document-reuse';
import { LotDocument } from './lot.types';

/** given the lot and the other lots carrying the document, when it is attached, then how each relates to the lot. */
const given = (target: DocumentTarget, others: readonly DocumentCarrier[]) => ({
  when: (document: LotDocument) => ({
    then: (expected: ReturnType<typeof documentAlsoOn>) =>
      expect(documentAlsoOn(deepFreeze(document), deepFreeze(target), deepFreeze(others))).toEqual(expected),
  }),
});

const test = nucleicAcidTest('NEGATIVE', { number: 'NAT-42' });
const bare = (): DocumentTarget => ({ state: registered().state, roots: [TRACE_CODE] });

describe('documentAlsoOn: the facts of the document-reuse rule', () => {
  it('no other lot carries the document: nothing to flag', () => {
    given(bare(), []).when(test).then([]);
  });

  it('a lot of another genealogy and another declaration: unrelated both ways', () => {
    given(bare(), [{ traceCode: 'STRANGER', roots: ['STRANGER'], declarations: ['CD-999'] }])
      .when(test)
      .then([{ traceCode: 'STRANGER', sameGenealogy: false, sameDeclaration: false }]);
  });

  it('a sibling (a common import lot): the same genealogy', () => {
    given({ state: registered().state, roots: ['IMPORT-1'] }, [{ traceCode: 'SIBLING', roots: ['IMPORT-1', 'IMPORT-2'], declarations: [] }])
      .when(test)
      .then([{ traceCode: 'SIBLING', sameGenealogy: true, sameDeclaration: false }]);
  });

  it('a lot under a customs declaration the lot has on its papers: the same declaration', () => {
    const papered = withPapers(registered(), [customsDeclaration({ number: 'CD-7' })], 1);
    given({ state: papered.state, roots: [TRACE_CODE] }, [{ traceCode: 'SAME-IMPORT', roots: ['SAME-IMPORT'], declarations: ['CD-7'] }])
      .when(test)
      .then([{ traceCode: 'SAME-IMPORT', sameGenealogy: false, sameDeclaration: true }]);
  });

  it('the document being attached is itself the declaration the other lot carries: the same declaration', () => {
    given(bare(), [{ traceCode: 'SAME-IMPORT', roots: ['SAME-IMPORT'], declarations: ['CD-8'] }])
      .when(customsDeclaration({ number: 'CD-8' }))
      .then([{ traceCode: 'SAME-IMPORT', sameGenealogy: false, sameDeclaration: true }]);
  });

  it('several lots: each judged on its own, in the order given', () => {
    given({ state: registered().state, roots: ['IMPORT-1'] }, [
      { traceCode: 'A', roots: ['IMPORT-1'], declarations: [] },
      { traceCode: 'B', roots: ['B'], declarations: [] },
    ])
      .when(test)
      .then([
        { traceCode: 'A', sameGenealogy: true, sameDeclaration: false },
        { traceCode: 'B', sameGenealogy: false, sameDeclaration: false },
      ]);
  });
});
