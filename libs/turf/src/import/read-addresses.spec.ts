import { readAddresses, sniffAddressFile, UnreadableFileError } from './read-addresses';

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
    await expect(collect('{"type":"Feature"}', 'geojson')).rejects.toThrow(/FeatureCollection/);
    await expect(collect('{oops', 'geojson')).rejects.toThrow(/not valid JSON/);
  });
});
