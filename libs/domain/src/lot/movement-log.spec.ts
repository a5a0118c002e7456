import type { Movement } from './lot.types';
import { MovementLog } from './movement-log';

const move = (seq: number): Movement => ({
  seq,
  ref: `S${seq}`,
  action: 'STORE',
  facilityId: 'F',
  facilityType: 'CENTRAL_WAREHOUSE',
  zoneId: null,
  zoneKind: null,
  occurredAt: `2026-01-01T00:00:0${seq}.000Z`,
  to: null,
});

describe('MovementLog', () => {
  it('a log keeps its own entries whatever is appended to it or to logs after it', () => {
    const one = MovementLog.EMPTY.with(move(1));
    const two = one.with(move(2));
    const three = two.with(move(3));
    expect(MovementLog.EMPTY.length).toBe(0);
    expect(one.toArray().map((m) => m.seq)).toEqual([1]);
    expect([...two].map((m) => m.seq)).toEqual([1, 2]);
    expect(three.toArray().map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('two appends to one log make two logs that do not see each other', () => {
    const base = MovementLog.of([move(1)]);
    const a = base.with(move(2));
    const b = base.with(move(9));
    const a2 = a.with(move(3));
    expect(base.toArray().map((m) => m.seq)).toEqual([1]);
    expect(a.toArray().map((m) => m.seq)).toEqual([1, 2]);
    expect(b.toArray().map((m) => m.seq)).toEqual([1, 9]);
    expect(a2.toArray().map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(b.filter((m) => m.seq > 1).map((m) => m.seq)).toEqual([9]);
    expect(a2.find((m) => m.seq === 9)).toBeUndefined();
  });

  it('logs with the same entries are equal, whatever their backing arrays hold beyond them', () => {
    const base = MovementLog.of([move(1)]);
    base.with(move(2));
    expect(base).toEqual(MovementLog.of([move(1)]));
  });
});
