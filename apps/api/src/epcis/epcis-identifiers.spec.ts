import { deviceUri, facilityUrn, locationUrn, lotClassUrn, parseDeviceUri, parseLocationUrn, parseLotClassUrn, UNIT_TO_UOM, unitOfUom, zoneUrn } from './epcis-identifiers';

describe('EPCIS identifiers', () => {
  it('names lots, facilities and zones as URNs', () => {
    expect(lotClassUrn('BEEF-2026-0001')).toBe('urn:coldtrace:lot:BEEF-2026-0001');
    expect(facilityUrn('CW-01')).toBe('urn:coldtrace:facility:CW-01');
    expect(zoneUrn('CW-01', 'IN-1')).toBe('urn:coldtrace:facility:CW-01:zone:IN-1');
    expect(locationUrn('CW-01', null)).toBe('urn:coldtrace:facility:CW-01');
  });

  it("percent-encodes ':' in ids, so a zone URN reads back unambiguously", () => {
    expect(zoneUrn('CW:01', 'zone:1')).toBe('urn:coldtrace:facility:CW%3A01:zone:zone%3A1');
    expect(parseLocationUrn(zoneUrn('CW:01', 'zone:1'))).toEqual({ facilityId: 'CW:01', zoneId: 'zone:1' });
    expect(parseLotClassUrn(lotClassUrn('A:B.c_d-1'))).toBe('A:B.c_d-1');
  });

  it('names a temperature logger as a deviceID URI, and reads every device id back as it was', () => {
    expect(deviceUri('reefer-7')).toBe('urn:coldtrace:device:reefer-7');
    // A URN already (a capture kept a GS1 GIAI as it was) is one.
    expect(deviceUri('urn:epc:id:giai:4000001.111')).toBe('urn:epc:id:giai:4000001.111');
    for (const id of ['reefer-7', 'urn:epc:id:giai:4000001.111', 'urn:coldtrace:device:x', 'CW:01']) expect(parseDeviceUri(deviceUri(id))).toBe(id);
    expect(parseDeviceUri('https://id.gs1.org/8004/4000001111')).toBeNull();
  });

  it('reads back what it writes, and nothing else', () => {
    expect(parseLocationUrn(facilityUrn('RS-7'))).toEqual({ facilityId: 'RS-7', zoneId: null });
    for (const bad of ['urn:coldtrace:lot:', 'urn:coldtrace:lot:%ZZ', 'urn:coldtrace:lot:a b', 'urn:epc:class:lgtin:4012345.012345.998877', 'urn:coldtrace:lot:%2Fetc']) {
      expect(parseLotClassUrn(bad)).toBeNull();
    }
    for (const bad of ['urn:coldtrace:facility:', 'urn:coldtrace:facility:CW:zone:', 'urn:epc:id:sgln:4012345.00001.0', 'urn:coldtrace:lot:X']) {
      expect(parseLocationUrn(bad)).toBeNull();
    }
  });

  it('maps units to UN/CEFACT codes and back', () => {
    expect(UNIT_TO_UOM).toEqual({ KG: 'KGM', CARTON: 'CT', PIECE: 'H87' });
    expect(unitOfUom('KGM')).toBe('KG');
    expect(unitOfUom('CT')).toBe('CARTON');
    expect(unitOfUom('H87')).toBe('PIECE');
    expect(unitOfUom('LTR')).toBeNull();
  });
});
