import { MAX_HEADER_BYTES, readAddresses, sniffAddressFile, splitHeaderLine, UnreadableFileError } from './read-addresses';

const collect = async (content: string | Buffer, format: 'csv' | 'geojson' = 'csv') => {
  const out = [];
  for await (const r of readAddresses(Buffer.isBuffer(content) ? content : Buffer.from(content), format)) out.push(r);
  return out;
};

describe('readAddresses', () => {
  it('reads columns in any order and case, with a BOM, CRLF, quoted fields and extra columns', async () => {
    const csv =
      '\uFEFFstreet,Extra,lat,LON,number,unit\r\n"Moreland Ave, SE",x,33.7,-84.3,12,"Apt ""2"""\r\n\r\nWylie St,y,33.8,-84.4,14,\r\n';
    const rows = await collect(csv);
    expect(rows).toEqual([
      { line: 2, raw: { STREET: 'Moreland Ave, SE', LAT: '33.7', LON: '-84.3', NUMBER: '12', UNIT: 'Apt "2"' } },
      { line: 4, raw: { STREET: 'Wylie St', LAT: '33.8', LON: '-84.4', NUMBER: '14', UNIT: '' } },
    ]);
  });

  it('rejects a file with the wrong header, naming what is missing', async () => {
    await expect(collect('x,y,house\n1,2,3\n')).rejects.toThrow(/Missing: LON, LAT, NUMBER, STREET/);
    expect(() => sniffAddressFile(Buffer.from('LON;LAT;NUMBER;STREET\n'), 'csv')).toThrow(UnreadableFileError);
  });

  it('rejects binary and empty files and broken quoting', async () => {
    await expect(collect(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]))).rejects.toThrow(/not a CSV/);
    await expect(collect('')).rejects.toThrow(/empty/);
    await expect(collect('LON,LAT,NUMBER,STREET\n-84,33,1,"Open quote\n')).rejects.toThrow(UnreadableFileError);
  });

  it('refuses at once a header line longer than the limit, and reads a long one within it without stalling', () => {
    const huge = Buffer.from('LON,LAT,NUMBER,STREET,' + 'x'.repeat(10 * 1024 * 1024) + '\n1,2,3,a\n');
    let started = Date.now();
    expect(() => sniffAddressFile(huge, 'csv')).toThrow(
      expect.objectContaining({ reason: 'csv_header_too_long', params: { maxKb: MAX_HEADER_BYTES / 1024 } }),
    );
    const oneLine = Buffer.alloc(50 * 1024 * 1024, 'a');
    expect(() => sniffAddressFile(oneLine, 'csv')).toThrow(expect.objectContaining({ reason: 'csv_header_too_long' }));
    expect(Date.now() - started).toBeLessThan(500);
    // Just within the limit, thousands of quoted columns: one linear pass, not a CSV parser's slow path.
    let header = 'LON,LAT,NUMBER,STREET';
    for (let i = 0; header.length + 20 < MAX_HEADER_BYTES; i++) header += `,"col ""${i}"""`;
    const wide = Buffer.from(`${header}\n1,2,3,a\n`);
    started = Date.now();
    expect(sniffAddressFile(wide, 'csv').estimatedRows).toBe(1);
    expect(Date.now() - started).toBeLessThan(20);
  });

  it('splits a header line as CSV: quotes, doubled quotes, commas inside quotes, CR at the end', () => {
    expect(splitHeaderLine('LON,"LAT","a,b","say ""hi""",\r')).toEqual(['LON', 'LAT', 'a,b', 'say "hi"', '']);
    expect(splitHeaderLine('')).toEqual(['']);
    expect(splitHeaderLine('LON,"LAT')).toBeNull();
    expect(splitHeaderLine('"LON"x,LAT')).toBeNull();
  });

  it('estimates the rows from the lines', () => {
    expect(sniffAddressFile(Buffer.from('LON,LAT,NUMBER,STREET\n1,2,3,a\n1,2,3,b\n'), 'csv').estimatedRows).toBe(2);
    expect(sniffAddressFile(Buffer.from('LON,LAT,NUMBER,STREET\n1,2,3,a'), 'csv').estimatedRows).toBe(1);
  });

  it('reads GeoJSON points with the same properties, and flags other geometries', async () => {
    const doc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'Point', coordinates: [-84.3, 33.7] }, properties: { number: '12', Street: 'Wylie St' } },
        { type: 'Feature', geometry: { type: 'LineString', coordinates: [] }, properties: {} },
      ],
    };
    const rows = await collect(JSON.stringify(doc), 'geojson');
    expect(rows[0]).toEqual({ line: 1, raw: { NUMBER: '12', STREET: 'Wylie St', LON: -84.3, LAT: 33.7 } });
    expect(rows[1]).toMatchObject({ line: 2, problem: 'feature is not a Point' });
    await expect(collect('{"type":"Feature",\n"geometry":null}', 'geojson')).rejects.toThrow(/FeatureCollection/);
    await expect(collect('{oops', 'geojson')).rejects.toThrow(/not valid JSON/);
  });

  describe('GeoJSON text sequences (one feature per line)', () => {
    const feature = (n: string, lon: number, lat: number) =>
      JSON.stringify({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [lon, lat] },
        properties: { 'addr:x': 1, number: n, street: 'Wylie St' },
      });
    const expected = [
      { line: 1, raw: { 'ADDR:X': 1, NUMBER: '12', STREET: 'Wylie St', LON: -84.3, LAT: 33.7 } },
      { line: 2, raw: { 'ADDR:X': 1, NUMBER: '14', STREET: 'Wylie St', LON: -84.31, LAT: 33.71 } },
    ];

    it('reads newline-delimited features, LF or CRLF, with a BOM and blank lines', async () => {
      const lines = [feature('12', -84.3, 33.7), feature('14', -84.31, 33.71)];
      expect(await collect(lines.join('\n') + '\n', 'geojson')).toEqual(expected);
      expect(await collect('\uFEFF' + lines.join('\r\n\r\n'), 'geojson')).toEqual(expected);
    });

    it('reads RFC 8142 sequences, each feature after the RS separator, as osmium export writes them', async () => {
      const seq = `\u001e${feature('12', -84.3, 33.7)}\n\u001e${feature('14', -84.31, 33.71)}\n`;
      expect(await collect(seq, 'geojson')).toEqual(expected);
      // A record may span lines when it follows RS.
      const pretty = `\u001e${JSON.stringify(JSON.parse(feature('12', -84.3, 33.7)), null, 2)}\n\u001e${feature('14', -84.31, 33.71)}\n`;
      expect(await collect(pretty, 'geojson')).toEqual(expected);
    });

    it("reads OpenStreetMap's address tags where the OpenAddresses names are absent", async () => {
      const osm = JSON.stringify({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [24.94, 60.17] },
        properties: { '@id': 'n42', 'addr:housenumber': '3', 'addr:street': 'Aleksanterinkatu', 'addr:unit': 'B', 'addr:city': 'Helsinki' },
      });
      const [row] = await collect(`\u001e${osm}\n`, 'geojson');
      expect(row.raw).toMatchObject({
        NUMBER: '3',
        STREET: 'Aleksanterinkatu',
        UNIT: 'B',
        CITY: 'Helsinki',
        ID: 'n42',
        LON: 24.94,
        LAT: 60.17,
      });
    });

    it('refuses a record that is not JSON, or not a point, on its own and reads the others', async () => {
      const lines = [
        feature('12', -84.3, 33.7),
        '{"type":"Feature", oops',
        '{"type":"Feature","geometry":null}',
        feature('14', -84.31, 33.71),
      ];
      const rows = await collect(lines.join('\n'), 'geojson');
      expect(rows.map((r) => [r.line, r.problem])).toEqual([
        [1, undefined],
        [2, 'feature is not valid JSON'],
        [3, 'feature is not a Point'],
        [4, undefined],
      ]);
    });

    it('estimates the rows from the records, and still reads a FeatureCollection written on one line', async () => {
      const lines = [feature('12', -84.3, 33.7), feature('14', -84.31, 33.71), feature('16', -84.32, 33.72)];
      expect(sniffAddressFile(Buffer.from(lines.join('\n') + '\n'), 'geojson').estimatedRows).toBe(3);
      expect(sniffAddressFile(Buffer.from(lines.map((l) => `\u001e${l}\n`).join('')), 'geojson').estimatedRows).toBe(3);
      const doc = JSON.stringify({ type: 'FeatureCollection', features: lines.map((l) => JSON.parse(l)) }) + '\n';
      expect(await collect(doc, 'geojson')).toHaveLength(3);
      expect(() => sniffAddressFile(Buffer.from('[1,2]\n'), 'geojson')).toThrow(/one Feature per line/);
    });
  });
});
