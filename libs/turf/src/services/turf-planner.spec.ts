import { planTurfs, PlanDoor } from './turf-planner';

/** A street of `n` houses 20 m apart, plus one building with `units` units. */
function street(n: number, units: number): PlanDoor[] {
  const doors: PlanDoor[] = [];
  for (let i = 0; i < n; i++) doors.push({ id: `h${i}`, buildingId: `b${i}`, lon: -84.35 + i * 0.0002, lat: 33.74, unitKey: '' });
  for (const u of Array.from({ length: units }, (_, i) => `${Math.floor(i / 3) + 1}${'ABC'[i % 3]}`).reverse()) {
    doors.push({ id: `apt-${u}`, buildingId: 'apt', lon: -84.35 + 5 * 0.0002, lat: 33.7405, unitKey: u });
  }
  return doors;
}

describe('planTurfs', () => {
  const options = { doorsPerTurf: 10, walkingSpeedKmh: 4.5, minutesPerDoor: 2 };

  it('puts every door in exactly one turf, keeps a building whole, and its units consecutive in natural order', () => {
    const doors = street(30, 9);
    const turfs = planTurfs(doors, options);
    const all = turfs.flatMap((t) => t.doorIds);
    expect(all.sort()).toEqual(doors.map((d) => d.id).sort());
    const withApt = turfs.filter((t) => t.doorIds.some((id) => id.startsWith('apt-')));
    expect(withApt).toHaveLength(1);
    const route = withApt[0].doorIds;
    const first = route.findIndex((id) => id.startsWith('apt-'));
    expect(route.slice(first, first + 9)).toEqual([
      'apt-1A',
      'apt-1B',
      'apt-1C',
      'apt-2A',
      'apt-2B',
      'apt-2C',
      'apt-3A',
      'apt-3B',
      'apt-3C',
    ]);
  });

  it('starts each route at its meeting door and estimates distance and time', () => {
    const turfs = planTurfs(street(20, 0), options);
    expect(turfs).toHaveLength(2);
    for (const t of turfs) {
      expect(t.doorIds[0]).toBe(t.meetingDoorId);
      // Ten houses 20 m apart, from near the middle: at least 9 gaps, at most twice that.
      expect(t.walkMetres).toBeGreaterThanOrEqual(9 * 18);
      expect(t.walkMetres).toBeLessThanOrEqual(2 * 9 * 19);
      expect(t.walkMinutes).toBe(Math.round(t.walkMetres / 75 + 10 * 2));
    }
  });

  it('plans nothing for no doors, and one turf of one door', () => {
    expect(planTurfs([], options)).toEqual([]);
    const [one] = planTurfs([{ id: 'x', buildingId: 'b', lon: -84.35, lat: 33.74, unitKey: '' }], options);
    expect(one).toMatchObject({ doorIds: ['x'], meetingDoorId: 'x', walkMetres: 0, walkMinutes: 2 });
  });
});
