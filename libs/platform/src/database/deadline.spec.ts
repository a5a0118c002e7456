import { DatabaseDeadlineExceeded, Deadline } from './deadline';

describe('Deadline', () => {
  it('counts down from its budget; 0 is no limit', () => {
    const d = Deadline.in(1000, 5000);
    expect(d.remainingMs(5000)).toBe(1000);
    expect(d.remainingMs(5600)).toBe(400);
    expect(d.remainingMs(7000)).toBe(0);
    expect(Deadline.in(0).remainingMs()).toBe(Number.POSITIVE_INFINITY);
    expect(() => Deadline.none().check('anything')).not.toThrow();
  });

  it('check throws once the time is up, naming what was waited for', () => {
    const spent = Deadline.in(1000, Date.now() - 2000);
    expect(() => spent.check('a connection')).toThrow(new DatabaseDeadlineExceeded('a connection', 1000));
    expect(() => Deadline.in(60_000).check('a connection')).not.toThrow();
  });

  it('race: the work if it comes first, else DatabaseDeadlineExceeded when the time is up', async () => {
    await expect(Deadline.in(1000).race(Promise.resolve('done'), 'x')).resolves.toBe('done');
    await expect(Deadline.in(1000).race(Promise.reject(new Error('failed')), 'x')).rejects.toThrow('failed');
    const never = new Promise<string>(() => undefined);
    await expect(Deadline.in(20).race(never, 'its turn')).rejects.toBeInstanceOf(DatabaseDeadlineExceeded);
    await expect(Deadline.in(1000, Date.now() - 5000).race(never, 'its turn')).rejects.toThrow('waiting for its turn');
  });
});
