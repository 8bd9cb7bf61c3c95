import { parse } from 'csv-parse/sync';
import { csvDocument, csvField } from './csv';

describe('csv', () => {
  it('quotes only what needs quoting and doubles quotes', () => {
    expect(csvField('Main St')).toBe('Main St');
    expect(csvField('Apt "B", rear')).toBe('"Apt ""B"", rear"');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(-4.5)).toBe('-4.5');
    expect(csvField(true)).toBe('true');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    for (const attack of ['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\r=1']) {
      const field = csvField(attack);
      const records: string[][] = parse(field);
      expect(records[0][0]).toBe(`'${attack}`);
    }
  });

  it('writes a document that a CSV reader reads back to the same values', () => {
    const rows = [
      ['1', '123', 'Ponce de Leon Ave, NE', null],
      ['2', '=cmd|calc', 'Say "hi"', 'Apt 3\nrear'],
    ];
    const text = csvDocument(['order', 'number', 'street', 'unit'], rows);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parse(text, { columns: true })).toEqual([
      { order: '1', number: '123', street: 'Ponce de Leon Ave, NE', unit: '' },
      { order: '2', number: "'=cmd|calc", street: 'Say "hi"', unit: 'Apt 3\nrear' },
    ]);
  });
});
