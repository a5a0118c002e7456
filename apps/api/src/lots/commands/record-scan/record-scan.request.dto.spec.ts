import { apiValidationPipe } from '../../../common/http/validation.pipe';
import { RecordScanBatchRequestDto } from '../record-scan-batch/record-scan-batch.request.dto';
import { RecordScanRequestDto } from './record-scan.request.dto';

/**
 * The pre-checks answer only what class-transformer and class-validator
 * would accept, as the same instance: each value here is judged both ways
 * (the pipe's own path is forced by a class without the pre-check).
 */
class PipeOnlyScan extends RecordScanRequestDto {
  static override precheck = () => null;
}
class PipeOnlyBatch extends RecordScanBatchRequestDto {
  static override precheck = () => null;
}

const pipe = apiValidationPipe();
const piped = async (value: unknown, metatype: new () => object): Promise<{ ok: true; value: unknown } | { ok: false }> => {
  try {
    return { ok: true, value: await pipe.transform(structuredClone(value), { type: 'body', metatype }) };
  } catch {
    return { ok: false };
  }
};

/** The same fields, own and enumerable, with the same values and classes (the subclass stands for its parent). */
const sameInstance = (prechecked: object, viaPipe: object) => {
  expect(Object.getPrototypeOf(Object.getPrototypeOf(viaPipe))).toBe(Object.getPrototypeOf(prechecked));
  expect({ ...prechecked }).toStrictEqual({ ...viaPipe });
  expect(Object.keys(prechecked)).toEqual(Object.keys(viaPipe));
};

const base = { scanId: 'S-1', traceCode: 'LOT.1', facilityId: 'wh:1', action: 'SAMPLE', occurredAt: '2026-11-20T08:00:00Z' };
const variants: Record<string, unknown>[] = [
  base,
  { ...base, temperatureC: -18.5 },
  { ...base, action: 'STORE', zoneId: 'Z1' },
  { ...base, action: 'DISPATCH', toFacilityId: 'm:2', vehicle: { plate: 'AB-123', disinfectedAt: '2026-11-20T07:00:00+08:00' } },
  { ...base, vehicle: { plate: 'AB-123' } },
  { ...base, action: 'SELL', quantity: 12.125, unit: 'KG' },
  // As EPCIS capture builds them in code: optional fields left undefined.
  { ...base, zoneId: undefined, toFacilityId: undefined, vehicle: undefined, quantity: undefined, unit: undefined, temperatureC: undefined },
  { ...base, vehicle: { plate: 'AB-123', disinfectedAt: undefined } },
];
const bad: [string, unknown][] = [
  ['scanId', ''], ['scanId', '-x'], ['scanId', 'a'.repeat(129)], ['scanId', 12], ['scanId', null],
  ['traceCode', 'a b'], ['facilityId', undefined], ['action', 'SCAN'], ['action', 'sample'],
  ['occurredAt', '2026-11-20'], ['occurredAt', '2026-11-20T08:00:00'], ['occurredAt', '2026-02-30T08:00:00Z'], ['occurredAt', 5],
  ['zoneId', null], ['zoneId', ''], ['zoneId', 3], ['toFacilityId', null], ['toFacilityId', '/x'],
  ['quantity', 0], ['quantity', -1], ['quantity', 1.0001], ['quantity', 1e-7], ['quantity', 1_000_000_000], ['quantity', 1_000_000_000.5], ['quantity', '5'], ['quantity', null],
  ['unit', 'kg'], ['unit', null], ['unit', 'LITRE'],
  ['temperatureC', -80], ['temperatureC', 60], ['temperatureC', 60.1], ['temperatureC', -80.1], ['temperatureC', 1.25], ['temperatureC', '3'], ['temperatureC', null],
  ['vehicle', null], ['vehicle', []], ['vehicle', 'AB'], ['vehicle', {}], ['vehicle', { plate: '' }], ['vehicle', { plate: 'x'.repeat(20) }], ['vehicle', { plate: 'x'.repeat(21) }],
  ['vehicle', { plate: '\u{1F69A}'.repeat(20) }], ['vehicle', { plate: 'A\uFE0F' }], ['vehicle', { plate: '\uFE0F' }], ['vehicle', { plate: 5 }],
  ['vehicle', { plate: 'AB', disinfectedAt: null }], ['vehicle', { plate: 'AB', disinfectedAt: 'yesterday' }], ['vehicle', { plate: 'AB', color: 'red' }],
  ['extra', 1], ['constructor', 'x'], ['toString', 'x'], ['extra', undefined],
  ['scanId', undefined], ['action', undefined], ['occurredAt', undefined], ['vehicle', { plate: undefined }],
];

describe('RecordScanRequestDto.precheck', () => {
  it('answers the common valid scans as the pipe does', async () => {
    for (const v of variants) {
      const viaPipe = await piped(v, PipeOnlyScan);
      const prechecked = RecordScanRequestDto.precheck(structuredClone(v));
      expect(viaPipe.ok).toBe(true);
      expect(prechecked).not.toBeNull();
      sameInstance(prechecked!, (viaPipe as { value: object }).value);
      if (v.vehicle) expect(Object.getPrototypeOf(prechecked!.vehicle)).toBe(Object.getPrototypeOf((viaPipe as { value: RecordScanRequestDto }).value.vehicle));
    }
  });

  it('accepts nothing the pipe refuses, and what it accepts is what the pipe builds', async () => {
    let accepted = 0;
    for (const v of variants) {
      for (const [field, value] of bad) {
        const scan = { ...v, [field]: value };
        const viaPipe = await piped(scan, PipeOnlyScan);
        const prechecked = RecordScanRequestDto.precheck(structuredClone(scan));
        if (prechecked === null) continue;
        accepted++;
        expect({ field, value, ok: viaPipe.ok }).toEqual({ field, value, ok: true });
        sameInstance(prechecked, (viaPipe as { value: object }).value);
      }
    }
    // The boundaries it takes itself: -80 and 60 degrees, a 20-character plate, a plate with its disinfection.
    expect(accepted).toBeGreaterThan(0);
  });

  it('leaves to the pipe what is not an object', () => {
    for (const v of [null, [], 'scan', 3]) expect(RecordScanRequestDto.precheck(v)).toBeNull();
  });
});

describe('RecordScanBatchRequestDto.precheck', () => {
  const envelopes: unknown[] = [
    { scans: [base] },
    { scans: Array.from({ length: 1000 }, () => ({ any: 'thing' })) },
    { scans: [] },
    { scans: Array.from({ length: 1001 }, () => base) },
    { scans: [base, null] },
    { scans: [base, [base]] },
    { scans: [base, 'x'] },
    { scans: base },
    { scans: null },
    {},
    { scans: [base], extra: 1 },
    [base],
  ];

  it('accepts only the envelopes the pipe accepts, as the same instance', async () => {
    for (const e of envelopes) {
      const viaPipe = await piped(e, PipeOnlyBatch);
      const prechecked = RecordScanBatchRequestDto.precheck(structuredClone(e));
      if (prechecked === null) continue;
      expect(viaPipe.ok).toBe(true);
      sameInstance(prechecked, (viaPipe as { value: object }).value);
    }
    expect(RecordScanBatchRequestDto.precheck({ scans: [base] })).not.toBeNull();
  });
});
