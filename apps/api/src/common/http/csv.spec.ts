import { parse } from 'csv-parse/sync';
import { CSV_BOM, csvField, csvFileName, csvLine, csvText, csvTime } from './csv';

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

  it('neutralises text a spreadsheet would run as a formula with a leading \' (OWASP)', () => {
    expect(csvField('=HYPERLINK("http://evil.example","x")')).toBe(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(csvField('+1+1')).toBe("'+1+1");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1:A9)')).toBe("'@SUM(A1:A9)");
    expect(csvField('\t=1+1')).toBe("'\t=1+1");
    expect(csvField('\r=1+1')).toBe(`"'\r=1+1"`);
    // Already starting with ': one more, so the rule stays reversible.
    expect(csvField("'quoted")).toBe("''quoted");
    // Elsewhere in the text, or numbers (a negative quantity is a number, not a formula): as they are.
    expect(csvField('a=1')).toBe('a=1');
    expect(csvField(' =1')).toBe(' =1');
    expect(csvField(-18.5)).toBe('-18.5');
  });

  it('round-trips neutralised cells: parsed back, dropping one leading \' gives the recorded text', () => {
    const texts = ['=1+1', '+A1', '-A1', '@A1', '\t=A1', '\r=A1', "'", "''x", '=a,"b"\r\n', '冷冻牛腩', '', 'plain'];
    const text = CSV_BOM + csvLine(texts);
    const [parsed] = parse(text, { bom: true, record_delimiter: '\r\n' }) as string[][];
    expect(parsed).toEqual(texts.map(csvText));
    for (const cell of parsed.slice(0, 9)) expect(cell.startsWith("'")).toBe(true);
    expect(parsed.map((cell) => (cell.startsWith("'") ? cell.slice(1) : cell))).toEqual(texts);
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
