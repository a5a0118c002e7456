import { apiValidationPipe } from '../../../common/http/validation.pipe';
import { RecordTemperaturesRequestDto } from './record-temperatures.request.dto';

/**
 * The pre-check answers only what class-transformer and class-validator
 * would accept, as the same instance: each value here is judged both ways
 * (the pipe's own path is forced by a class without the pre-check).
 */
class PipeOnly extends RecordTemperaturesRequestDto {
  static override precheck = () => null;
}

const pipe = apiValidationPipe();
const piped = async (value: unknown): Promise<{ ok: true; value: object } | { ok: false }> => {
  try {
    return { ok: true, value: (await pipe.transform(structuredClone(value), { type: 'body', metatype: PipeOnly })) as object };
  } catch {
    return { ok: false };
  }
};

const reading = { at: '2026-11-20T08:00:00Z', celsius: -19.5 };
const valid: Record<string, unknown>[] = [
  { deviceId: 'reefer-1', readings: [reading] },
  { readings: [reading, { celsius: -18, at: '2026-11-20T16:05:00+08:00' }, { at: '2026-11-20T08:10:00.123Z', celsius: 0 }], deviceId: 'truck:AB.12_3' },
  { deviceId: 'r', readings: Array.from({ length: 10_000 }, (_, i) => ({ at: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(), celsius: -20 + (i % 10) / 10 })) },
];
const bad: unknown[] = [
  null, [], 'x', {},
  { deviceId: 'reefer-1' }, { readings: [reading] },
  { deviceId: '', readings: [reading] }, { deviceId: '-x', readings: [reading] }, { deviceId: 'a'.repeat(129), readings: [reading] }, { deviceId: 7, readings: [reading] }, { deviceId: null, readings: [reading] },
  { deviceId: 'r', readings: [] }, { deviceId: 'r', readings: null }, { deviceId: 'r', readings: {} }, { deviceId: 'r', readings: [null] }, { deviceId: 'r', readings: [[]] },
  { deviceId: 'r', readings: Array.from({ length: 10_001 }, () => reading) },
  { deviceId: 'r', readings: [{ at: '2026-11-20' , celsius: 1 }] }, { deviceId: 'r', readings: [{ at: '2026-02-30T08:00:00Z', celsius: 1 }] }, { deviceId: 'r', readings: [{ at: 5, celsius: 1 }] },
  { deviceId: 'r', readings: [{ at: reading.at, celsius: 60.5 }] }, { deviceId: 'r', readings: [{ at: reading.at, celsius: 1.125 }] }, { deviceId: 'r', readings: [{ at: reading.at, celsius: '3' }] },
  { deviceId: 'r', readings: [{ at: reading.at }] }, { deviceId: 'r', readings: [{ ...reading, extra: 1 }] },
  { deviceId: 'r', readings: [reading], extra: 1 }, { deviceId: 'r', readings: [reading], constructor: 'x' }, { deviceId: 'r', readings: [reading], extra: undefined },
];

describe('RecordTemperaturesRequestDto.precheck', () => {
  it('answers valid uploads as the pipe does: the same instance', async () => {
    for (const v of valid) {
      const viaPipe = await piped(v);
      const prechecked = RecordTemperaturesRequestDto.precheck(structuredClone(v));
      expect(viaPipe.ok).toBe(true);
      expect(prechecked).not.toBeNull();
      const built = (viaPipe as { value: object }).value;
      expect(Object.getPrototypeOf(Object.getPrototypeOf(built))).toBe(Object.getPrototypeOf(prechecked));
      expect({ ...prechecked }).toStrictEqual({ ...built });
      expect(Object.keys(prechecked!)).toEqual(Object.keys(built));
    }
  });

  it('leaves every other value to the pipe (which refuses all of these but a field named constructor)', async () => {
    for (const v of bad) {
      expect({ v, prechecked: RecordTemperaturesRequestDto.precheck(structuredClone(v)) }).toEqual({ v, prechecked: null });
      const refused = !(await piped(v)).ok;
      expect({ v, refused }).toEqual({ v, refused: !(v !== null && typeof v === 'object' && 'constructor' in v && Object.hasOwn(v, 'constructor')) });
    }
  });
});
