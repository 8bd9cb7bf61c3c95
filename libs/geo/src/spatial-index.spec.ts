import { Flatbush, KDBush } from './spatial-index';

describe('spatial indexes', () => {
  it('load as classes and answer range and nearest-neighbour queries', () => {
    const kd = new KDBush(3);
    kd.add(0, 0);
    kd.add(1, 1);
    kd.add(5, 5);
    kd.finish();
    expect(kd.range(-1, -1, 2, 2).sort()).toEqual([0, 1]);
    const fb = new Flatbush(2);
    fb.add(0, 0, 0, 0);
    fb.add(3, 3, 3, 3);
    fb.finish();
    expect(fb.neighbors(2.5, 2.5, 1)).toEqual([1]);
  });
});
