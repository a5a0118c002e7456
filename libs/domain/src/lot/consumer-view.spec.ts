import {
  at,
  DAY,
  destroy,
  disinfectionCertificate,
  fullPapers,
  iso,
  journey,
  nucleicAcidTest,
  papered,
  recall,
  registered,
  scan,
  sellable,
  STORE,
  withPapers,
} from '../testing/lot-fixtures';
import { certificateSummary, consumerStatus } from './consumer-view';

describe('consumer view', () => {
  it('ON_SALE when the sale rules allow it, NOT_FOR_SALE otherwise', () => {
    expect(consumerStatus(journey(papered()).state, at(9))).toBe('ON_SALE');
    expect(consumerStatus(registered().state, at(1))).toBe('NOT_FOR_SALE');
  });

  it('SOLD_OUT, RECALLED and DESTROYED outrank the sale rules', () => {
    const onSale = sellable();
    expect(consumerStatus(onSale.run(scan('SELL', STORE, iso(9), { zoneId: 'rs-sales', quantity: 100 }), at(9)).state, at(10))).toBe('SOLD_OUT');
    expect(consumerStatus(onSale.run(recall(), at(9)).state, at(10))).toBe('RECALLED');
    expect(consumerStatus(onSale.run(recall(), at(9)).run(destroy(), at(10)).state, at(11))).toBe('DESTROYED');
  });

  it('expires with the clock: a certificate past its validity takes the lot off sale', () => {
    const state = sellable().state;
    expect(consumerStatus(state, at(9))).toBe('ON_SALE');
    expect(consumerStatus(state, at(15 * DAY))).toBe('NOT_FOR_SALE');
  });

  it('lists the four papers with issuer and date, never a document number', () => {
    const summary = certificateSummary(papered().state, at(2));
    expect(summary.map((c) => c.type)).toEqual(['CUSTOMS_DECLARATION', 'INSPECTION_QUARANTINE', 'NUCLEIC_ACID_TEST', 'DISINFECTION']);
    for (const c of summary) {
      expect(c).toEqual({ type: c.type, present: true, valid: true, issuer: expect.any(String), issuedAt: iso(-DAY) });
      expect(JSON.stringify(c)).not.toMatch(/CD-001|IQ-001|NAT-001|DS-001/);
    }
  });

  it('a missing paper is absent, a positive test and an expired certificate are present but not valid', () => {
    const h = withPapers(registered(), [fullPapers()[0], nucleicAcidTest('POSITIVE'), disinfectionCertificate({ validUntil: iso(1) })], 1);
    const byType = Object.fromEntries(certificateSummary(h.state, at(2)).map((c) => [c.type, c]));
    expect(byType.INSPECTION_QUARANTINE).toMatchObject({ present: false, valid: false, issuer: null, issuedAt: null });
    expect(byType.NUCLEIC_ACID_TEST).toMatchObject({ present: true, valid: false });
    expect(byType.DISINFECTION).toMatchObject({ present: true, valid: false });
    expect(byType.CUSTOMS_DECLARATION).toMatchObject({ present: true, valid: true });
  });
});
