import { ProgressReporter } from './progress';

describe('the CLIs\' progress reporter', () => {
  const reporter = (what = 'rebuild') => {
    let now = 0;
    const lines: string[] = [];
    const p = new ProgressReporter({ what, unit: 'events', write: (l) => lines.push(l), now: () => now });
    return { p, lines, at: (ms: number) => (now = ms) };
  };

  it('a line every 2 s: done/total, percent, rate, time left', () => {
    const { p, lines, at } = reporter();
    at(1_000);
    p.update(500, 5_000);
    expect(lines).toEqual([]);
    at(2_000);
    p.update(1_000, 5_000);
    at(3_000);
    p.update(1_500, 5_000);
    expect(lines).toEqual(['rebuild: 1,000/5,000 events (20%), 500 events/s, about 8 s left']);
    at(4_000);
    p.update(5_000, 5_000);
    p.finish();
    expect(lines.slice(1)).toEqual(['rebuild: 5,000/5,000 events (100%), 1,250 events/s, about 0 s left', 'rebuild: 5,000 events done in 4.0 s (1,250 events/s)']);
  });

  it('a large job: a line at each quarter, however fast; a short small job prints nothing', () => {
    const { p, lines, at } = reporter();
    for (let done = 2_000; done <= 100_000; done += 2_000) {
      at(done / 100);
      p.update(done, 100_000);
    }
    expect(lines.map((l) => l.split(' events')[0])).toEqual(['rebuild: 26,000/100,000', 'rebuild: 50,000/100,000', 'rebuild: 76,000/100,000']);
    const small = reporter();
    small.at(100);
    small.p.update(10, 10);
    small.p.finish();
    expect(small.lines).toEqual([]);
  });

  it('a total that is an estimate: done shown as at most it; long times in minutes', () => {
    const { p, lines, at } = reporter('verify');
    at(2_000);
    p.update(10, 1_000_000);
    expect(lines).toEqual(['verify: 10/1,000,000 events (0%), 5 events/s, about 55 h 33 min left']);
    at(4_000);
    p.update(1_200, 1_000);
    expect(lines[1]).toBe('verify: 1,000/1,000 events (100%), 300 events/s, about 0 s left');
  });
});
