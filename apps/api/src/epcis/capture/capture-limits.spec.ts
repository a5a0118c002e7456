import { randomInt } from 'node:crypto';
import { eventListLength, MAX_CAPTURE_EVENTS, refuseTooManyEvents, refuseTooManyParsedEvents } from './capture-limits';

/** What JSON.parse makes of the same text: the length of epcisBody.eventList when it is an array. */
const parsedLength = (text: string): number | null => {
  const list = (JSON.parse(text) as { epcisBody?: { eventList?: unknown } } | null)?.epcisBody?.eventList;
  return Array.isArray(list) ? list.length : null;
};

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('EPCIS capture limits: counting events before parsing', () => {
  it.each([
    ['a document', '{"type":"EPCISDocument","epcisBody":{"eventList":[{},{},{}]}}'],
    ['an empty list', '{"epcisBody":{"eventList":[]}}'],
    ['an empty list, spaced', '{ "epcisBody" : { "eventList" : [ \n\t ] } }'],
    ['one event', '{"epcisBody":{"eventList":[{"type":"ObjectEvent"}]}}'],
    ['scalars as items', '{"epcisBody":{"eventList":[1,"two",true,null,-3.5e2,[4,5]]}}'],
    ['commas, brackets and quotes inside strings', '{"epcisBody":{"eventList":["a,b","[c]","{d}","e\\"],[","f\\\\",",,,"]}}'],
    ['nested lists inside events', '{"epcisBody":{"eventList":[{"epcList":["a","b","c"],"x":[[1,2],[3]]},{"y":{"z":[1,2,3]}}]}}'],
    ['no epcisBody', '{"type":"EPCISDocument","eventList":[1,2,3]}'],
    ['no eventList', '{"epcisBody":{"events":[1,2,3]}}'],
    ['an eventList deeper down (a query document)', '{"epcisBody":{"queryResults":{"resultsBody":{"eventList":[1,2,3]}}}}'],
    ['eventList not an array', '{"epcisBody":{"eventList":{"a":1,"b":2}}}'],
    ['epcisBody not an object', '{"epcisBody":[{"eventList":[1,2]}]}'],
    ['a string value named eventList', '{"epcisBody":{"note":"eventList","eventList":[1]}}'],
    ['a key named epcisBody inside an event', '{"epcisBody":{"eventList":[{"epcisBody":{"eventList":[1,2,3,4]}}]}}'],
    ['epcisBody repeated: the last counts', '{"epcisBody":{"eventList":[1,2,3]},"epcisBody":{"eventList":[1]}}'],
    ['epcisBody repeated, the last without a list', '{"epcisBody":{"eventList":[1,2,3]},"epcisBody":{}}'],
    ['epcisBody repeated, the last not an object', '{"epcisBody":{"eventList":[1,2,3]},"epcisBody":7}'],
    ['eventList repeated: the last counts', '{"epcisBody":{"eventList":[1,2,3],"eventList":[1,2]}}'],
    ['eventList repeated, the last not an array', '{"epcisBody":{"eventList":[1,2,3],"eventList":"none"}}'],
    ['keys written with escapes', '{"epcis\\u0042ody":{"event\\u004cist":[1,2,3,4,5]}}'],
    ['a key with a quote in it before', '{"a\\"b":1,"epcisBody":{"eventList":[1,2]}}'],
    ['non-ASCII around', '{"名前":"冷冻牛腩","epcisBody":{"说明":"ü","eventList":["冷冻",{"键":"值"}]}}'],
    ['a root array', '[{"epcisBody":{"eventList":[1,2]}}]'],
    ['a root scalar', '"epcisBody"'],
  ])('%s: as JSON.parse counts', (_name, text) => {
    expect(eventListLength(bytes(text))).toBe(parsedLength(text));
  });

  it('agrees with JSON.parse on random documents', () => {
    const word = () => ['epcisBody', 'eventList', 'type', 'x', 'a,b', '[', '}', '"', '\\', 'é'][randomInt(10)];
    const value = (depth: number): unknown => {
      const kind = randomInt(depth > 4 ? 4 : 7);
      if (kind === 0) return randomInt(100);
      if (kind === 1) return word();
      if (kind === 2) return null;
      if (kind === 3) return randomInt(2) === 0;
      if (kind === 4) return Array.from({ length: randomInt(5) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: randomInt(5) }, () => [word(), value(depth + 1)]));
    };
    for (let k = 0; k < 2000; k++) {
      const eventList = Array.from({ length: randomInt(6) }, () => value(3));
      const doc = randomInt(4) === 0 ? value(0) : { ...(value(1) as object), epcisBody: { ...(randomInt(2) ? { eventList } : {}), other: value(2) } };
      // Spacing and repeated keys as a hand-written document may have them.
      let text = JSON.stringify(doc, null, randomInt(2) ? 1 : undefined);
      if (randomInt(5) === 0 && text.startsWith('{') && text.length > 2) text = `{"epcisBody":{"eventList":[1,2,3,4,5,6,7]},${text.slice(1)}`;
      expect({ text, length: eventListLength(bytes(text)) }).toEqual({ text, length: parsedLength(text) });
    }
  });

  it('counts 100,000 empty events in 300 kB, and refuses them before parsing', () => {
    const text = `{"type":"EPCISDocument","epcisBody":{"eventList":[${Array.from({ length: 100_000 }, () => '{}').join(',')}]}}`;
    expect(eventListLength(bytes(text))).toBe(100_000);
    expect(() => refuseTooManyEvents({} as never, {}, bytes(text), 'utf-8')).toThrow(expect.objectContaining({ status: 413, code: 'PAYLOAD_TOO_LARGE', details: { maxEvents: MAX_CAPTURE_EVENTS, events: 100_000 } }));
    const atLimit = `{"epcisBody":{"eventList":[${Array.from({ length: MAX_CAPTURE_EVENTS }, () => '{}').join(',')}]}}`;
    expect(() => refuseTooManyEvents({} as never, {}, bytes(atLimit), 'utf-8')).not.toThrow();
    // Another charset is left to the pipe, which counts after parsing.
    expect(() => refuseTooManyEvents({} as never, {}, Buffer.from(text, 'utf16le'), 'utf-16le')).not.toThrow();
    expect(() => refuseTooManyParsedEvents(JSON.parse(text))).toThrow(expect.objectContaining({ status: 413, details: { maxEvents: MAX_CAPTURE_EVENTS, events: 100_000 } }));
    expect(() => refuseTooManyParsedEvents(JSON.parse(atLimit))).not.toThrow();
    expect(() => refuseTooManyParsedEvents(undefined)).not.toThrow();
  });
});
