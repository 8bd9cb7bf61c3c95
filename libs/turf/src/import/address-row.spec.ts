import { validateAddress } from './address-row';

const row = (over: Record<string, unknown> = {}) => ({
  LON: '-84.3495',
  LAT: '33.7489',
  NUMBER: '163',
  STREET: 'Moreland Avenue Southeast',
  ...over,
});
const reason = (over: Record<string, unknown>) => {
  const r = validateAddress(row(over), 7);
  return r.ok ? 'ok' : r.reason;
};

describe('validateAddress', () => {
  it('accepts a good row and keys it', () => {
    const r = validateAddress(row({ UNIT: 'Apt 2', CITY: 'Atlanta', POSTCODE: '30316', ID: 'way/1' }), 2);
    expect(r).toEqual({
      ok: true,
      address: expect.objectContaining({
        line: 2,
        lon: -84.3495,
        lat: 33.7489,
        streetKey: 'MORELAND AVE SE',
        unit: 'Apt 2',
        unitKey: '2',
        sourceId: 'way/1',
      }),
    });
  });

  it('names what is wrong with a bad row', () => {
    expect(reason({ LON: '', LAT: '' })).toBe('missing coordinate');
    expect(reason({ LAT: '' })).toBe('missing latitude');
    expect(reason({ LON: 'west' })).toBe('longitude is not a number');
    expect(reason({ LON: '37.7721', LAT: '-122.4238' })).toBe('longitude and latitude appear swapped');
    expect(reason({ LON: '-190', LAT: '10' })).toBe('longitude out of range (-180 to 180)');
    expect(reason({ LON: '0', LAT: '0' })).toMatch(/0,0/);
    expect(reason({ STREET: '  ' })).toBe('empty street');
    expect(reason({ NUMBER: '' })).toBe('missing house number');
    expect(reason({ STREET: 'x'.repeat(201) })).toBe('STREET longer than 200 characters');
  });
});
