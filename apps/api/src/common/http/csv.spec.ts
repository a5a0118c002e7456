import { parse } from 'csv-parse/sync';
import { CSV_BOM, csvField, csvFileName, csvLine, csvTime } from './csv';

describe('CSV writer (RFC 4180)', () => {
  it('leaves plain fields alone and writes null as empty', () => {
    expect(csvField('上海冷链总仓')).toBe('上海冷链总仓');
    expect(csvField(1197.5)).toBe('1197.5');
    expect(csvField(null)).toBe('');
    expect(csvField('')).toBe('');
  });

  it('quotes a field holding a comma, a quote, CR or LF, doubling its quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField(' spaced ')).toBe(' spaced ');
  });

  it('ends every record with CRLF', () => {
    expect(csvLine(['a', null, 2])).toBe('a,,2\r\n');
  });

  it('reads back through a real CSV parser exactly as written', () => {
    const rows = [
      ['traceability_lot_code', 'location_name', 'quantity'],
      ['BEEF-1', '江桥批发市场, "东区"', '2.5'],
      ['BEEF-2', 'two\r\nlines', ''],
    ];
    const text = CSV_BOM + rows.map(csvLine).join('');
    expect(parse(text, { bom: true, record_delimiter: '\r\n' })).toEqual(rows);
  });

  it('writes times as ISO 8601 local time with the offset, fixed width', () => {
    const at = new Date('2026-11-21T07:10:00Z');
    expect(csvTime(at, '+08:00')).toBe('2026-11-21T15:10:00.000+08:00');
    expect(csvTime(at, '-05:30')).toBe('2026-11-21T01:40:00.000-05:30');
    expect(csvTime(new Date('2026-12-31T20:00:00.123Z'), '+08:00')).toBe('2027-01-01T04:00:00.123+08:00');
    expect(new Date(csvTime(at, '+08:00')).getTime()).toBe(at.getTime());
  });

  it('makes file names safe in a quoted header', () => {
    expect(csvFileName('trace', 'BEEF:2026.1', 'forward')).toBe('trace-BEEF_2026.1-forward.csv');
    expect(csvFileName('recall', 'r"1/2')).toBe('recall-r_1_2.csv');
  });
});
