import { haversineMetres, projectToMetres } from './distance';

describe('distances', () => {
  it('measures great-circle distances in metres', () => {
    expect(haversineMetres({ lon: 0, lat: 0 }, { lon: 0, lat: 1 })).toBeCloseTo(111_195, -1);
    // Atlanta City Hall to the Georgia State Capitol: about 210 m.
    const d = haversineMetres({ lon: -84.39063, lat: 33.74847 }, { lon: -84.38817, lat: 33.74904 });
    expect(d).toBeGreaterThan(200);
    expect(d).toBeLessThan(250);
    expect(haversineMetres({ lon: 10, lat: 50 }, { lon: 10, lat: 50 })).toBe(0);
  });

  it('projects a neighbourhood to metres within 0.1% of haversine', () => {
    const pts = [
      { lon: -84.352, lat: 33.738 },
      { lon: -84.345, lat: 33.742 },
      { lon: -84.349, lat: 33.731 },
    ];
    const xy = projectToMetres(pts);
    for (const [i, j] of [
      [0, 1],
      [1, 2],
      [0, 2],
    ]) {
      const planar = Math.hypot(xy[2 * i] - xy[2 * j], xy[2 * i + 1] - xy[2 * j + 1]);
      const sphere = haversineMetres(pts[i], pts[j]);
      expect(Math.abs(planar - sphere) / sphere).toBeLessThan(0.001);
    }
    expect(projectToMetres([])).toHaveLength(0);
  });
});
