import { digitalLinkPath, gtin14, gtinCheckDigit, isBatchLot, normaliseGtin } from './gtin';

describe('GTIN', () => {
  it("computes GS1's check digit (weights 3, 1 from the right)", () => {
    expect(gtinCheckDigit('0950600013435')).toBe(2); // GS1's own example, 09506000134352
    expect(gtinCheckDigit('400638133393')).toBe(1); // EAN-13 4006381333931
    expect(gtinCheckDigit('9638507')).toBe(4); // GTIN-8 96385074
    expect(gtinCheckDigit('03600029145')).toBe(2); // UPC-A 036000291452
  });

  it('pads GTIN-8, -12 and -13 to GTIN-14 and keeps a GTIN-14', () => {
    expect(gtin14('96385074')).toBe('00000096385074');
    expect(gtin14('036000291452')).toBe('00036000291452');
    expect(gtin14('4006381333931')).toBe('04006381333931');
    expect(gtin14('09506000134352')).toBe('09506000134352');
  });

  it.each(['09506000134353', '4006381333932', '1234567', '123456789', '123456789012345', '', '0950600013435X', ' 9506000134352', '９５０６０００１３４３５２'])(
    'refuses %j',
    (raw) => {
      expect(gtin14(raw)).toBeNull();
      expect(() => normaliseGtin(raw)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', kind: 'invalid', details: { field: 'product.gtin' } }));
    },
  );

  it('a trace code is a GS1 batch/lot when at most 20 characters (its characters are all in GS1 set 82)', () => {
    expect(isBatchLot('CT-2026.0001:A_b')).toBe(true);
    expect(isBatchLot('A'.repeat(20))).toBe(true);
    expect(isBatchLot('A'.repeat(21))).toBe(false);
    expect(isBatchLot('')).toBe(false);
  });

  it('gives the Digital Link path of a lot with a GTIN, none otherwise', () => {
    expect(digitalLinkPath('09506000134352', 'BEEF-2026:01')).toBe('/01/09506000134352/10/BEEF-2026%3A01');
    expect(digitalLinkPath(undefined, 'BEEF-2026')).toBeNull();
    expect(digitalLinkPath(null, 'BEEF-2026')).toBeNull();
    expect(digitalLinkPath('09506000134352', 'A'.repeat(21))).toBeNull();
  });
});
