import { lotLinkset, requestedLinkType } from './digital-link.linkset';

describe('a lot\'s linkset (RFC 9264, GS1 link types)', () => {
  const base = 'https://trace.example.com';
  const anchor = `${base}/01/09506000134352/10/BEEF-2026:01`;

  it('one link context, the anchor the Digital Link, each GS1 link type a list of one target', () => {
    const set = lotLinkset({ publicBaseUrl: base, anchor, traceCode: 'BEEF-2026:01', recalled: false });
    expect(set).toEqual({
      linkset: [
        {
          anchor,
          'https://gs1.org/voc/defaultLink': [{ href: `${base}/t/BEEF-2026%3A01`, type: 'text/html', title: expect.any(String), hreflang: ['en', 'zh'] }],
          'https://gs1.org/voc/pip': [{ href: `${base}/t/BEEF-2026%3A01`, type: 'text/html', title: expect.any(String), hreflang: ['en', 'zh'] }],
          'https://gs1.org/voc/epcis': [
            { href: `${base}/api/epcis/events?MATCH_anyEPCClass=urn%3Acoldtrace%3Alot%3ABEEF-2026%253A01`, type: 'application/ld+json', title: expect.any(String) },
          ],
          'https://gs1.org/voc/certificationInfo': [
            { href: `${base}/api/epcis/events?MATCH_anyEPCClass=urn%3Acoldtrace%3Alot%3ABEEF-2026%253A01&EQ_bizStep=inspecting`, type: 'application/ld+json', title: expect.any(String) },
          ],
          'https://gs1.org/voc/recallStatus': [{ href: `${base}/api/public/lots/BEEF-2026%3A01`, type: 'application/json', title: 'Not recalled' }],
        },
      ],
    });
  });

  it('says whether the lot is recalled, as the shopper\'s view does', () => {
    const set = lotLinkset({ publicBaseUrl: base, anchor, traceCode: 'BEEF-2026:01', recalled: true });
    expect(set.linkset[0]['https://gs1.org/voc/recallStatus']).toEqual([expect.objectContaining({ title: expect.stringMatching(/^Recalled/) })]);
  });

  it('reads a linkType as a gs1: term or its full URI; linkset and all ask for the whole set', () => {
    expect(requestedLinkType('gs1:pip')).toBe('pip');
    expect(requestedLinkType('https://gs1.org/voc/certificationInfo')).toBe('certificationInfo');
    expect(requestedLinkType('linkset')).toBe('linkset');
    expect(requestedLinkType('all')).toBe('linkset');
    expect(requestedLinkType('gs1:allergenInfo')).toBeNull();
    expect(requestedLinkType('pip')).toBeNull();
    expect(requestedLinkType('gs1:toString')).toBeNull();
  });
});
