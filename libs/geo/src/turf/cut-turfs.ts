import { seededRandom } from '../random';
import { bisect } from './bisection';
import { cutTour } from './chunks';
import { evenWalks } from './even-walks';
import { reSplitPairs } from './re-split';
import { neighbourGraph, SiteGraph } from './graph';
import { balanceBand, Band, excess, Partition } from './partition';
import { repairBalance, tradeBalance } from './refine';
import { groupBuildings, Sites } from './sites';
import { siteTour } from './tour';
import type { CutDoor, CutOptions, CutTurf } from './types';

export const MIN_DOORS_PER_TURF = 5;
export const MAX_DOORS_PER_TURF = 500;
const DEFAULT_SEED = 0x7075;
/** Neighbours per building in the graph that tour, chunk costs and repairs work on. */
const NEIGHBOURS = 8;
/** Perturbations of the tour per building: past about one, the turfs hardly change. */
const KICKS_PER_SITE = 1;
/**
 * Metres of walking charged per metre of a turf's root-mean-square radius, on top of its spanning
 * tree: a walk from the door nearest the centre came out at about 1.07 x tree + 0.57 x radius on
 * the benchmark files, so a little reach is worth paying for when the tree is equal.
 */
const RADIUS_WEIGHT = 0.5;
/**
 * Weight of the penalty on a turf's estimated walk straying from the mean (see `cutTour`): at 1
 * the coefficient of variation of walk lengths fell from 0.22 to 0.20 on Atlanta at 30 doors per
 * turf, for 0.4% more walking.
 */
const SPREAD_WEIGHT = 1;
/**
 * Weight of the evening out of walks in the trades that follow the cut (see `evenWalks`). At 3 the
 * coefficient of variation of walk lengths on Atlanta fell from 0.219 / 0.176 / 0.115 to 0.193 /
 * 0.165 / 0.103 at 30 / 50 / 80 doors per turf, the total walk changing by +1.3% / -0.3% / +0.4%;
 * on San Francisco, where one-building turfs walk almost nothing, evening out costs 2-5% more
 * walking for a CV 11-15% lower. At 0 the trades only shorten walks, by under 1% on Atlanta.
 */
const WALK_SPREAD_WEIGHT = 3;
/** Cuts tried (each from its own tour) while the best so far leaves a turf outside the band. */
const ATTEMPTS = 4;

/**
 * Cuts doors into max(1, round(doors / doorsPerTurf)) turfs of balanced door counts that are cheap
 * to walk, never splitting a building.
 *
 * How: the doors are grouped into buildings (one stop each) and a short closed tour through all
 * buildings is built (greedy matching, 2-opt, Or-opt and seeded perturbations). Cut into runs of
 * consecutive buildings, such a tour gives turfs that follow the streets without far-flung pieces;
 * a dynamic program chooses the cut points so that every turf holds a balanced number of doors and
 * the turfs' estimated walks (spanning tree within the run plus a little for reach) are shortest in
 * total. Where buildings are too big for every turf to be balanced that way, buildings are passed
 * along chains of neighbouring turfs and traded between neighbours until the counts fit. Last,
 * with every turf in the band, pairs of neighbouring turfs are cut again where their joint tour
 * splits into two turfs that walk less from their meeting points (`reSplitPairs`: one side of a
 * street each becomes both sides of half the street each), and then single buildings are traded
 * between neighbouring turfs where that makes the turfs' actual walks shorter or more even
 * (`evenWalks`), never leaving the band or breaking a turf in pieces.
 *
 * Balance: every turf holds between lo and hi doors with hi / lo <= 1.10, centred on the mean in
 * ratio. Two things can stop that, and then the cut does the best it can: with fewer than about
 * ten doors per turf, integers cannot be within 10% (5 and 6 doors), so turfs differ by one door;
 * and a building with more doors than the band allows gets a turf of its own, with nothing else in
 * it, while the other doors are balanced among the remaining turfs (whose mean drops accordingly,
 * since the number of turfs stays as asked). Buildings too big to mix can also leave a turf or two
 * a few doors outside the band.
 *
 * Fewer turfs than asked only when there are fewer buildings than turfs (every turf then holds one
 * building). Deterministic for the same doors and seed.
 */
export function cutTurfs(doors: readonly CutDoor[], options: CutOptions): CutTurf[] {
  const { doorsPerTurf, seed = DEFAULT_SEED } = options;
  if (typeof doorsPerTurf !== 'number' || !(doorsPerTurf >= MIN_DOORS_PER_TURF && doorsPerTurf <= MAX_DOORS_PER_TURF)) {
    throw new RangeError(`doorsPerTurf must be between ${MIN_DOORS_PER_TURF} and ${MAX_DOORS_PER_TURF}, got ${String(doorsPerTurf)}`);
  }
  doors.forEach((d, i) => {
    if (!Number.isFinite(d.lon) || !Number.isFinite(d.lat)) throw new RangeError(`door ${i} has no valid position`);
  });
  if (doors.length === 0) return [];

  const sites = groupBuildings(doors);
  const k = Math.min(sites.count, Math.max(1, Math.round(doors.length / doorsPerTurf)));
  if (k === 1)
    return [
      toTurf(
        doors,
        sites,
        Array.from({ length: sites.count }, (_, s) => s),
      ),
    ];

  const { alone, rest, band, parts } = setAsideOversized(sites, k, doors.length);
  let members: number[][];
  if (parts === 1) {
    members = [rest];
  } else {
    const graph = neighbourGraph(sites, rest, NEIGHBOURS);
    // Big buildings can leave a turf or two outside the band whatever the repairs do; another tour
    // (another seed) cuts elsewhere and often fits. Balanced cuts end the search at once.
    let best: { members: number[][]; worst: number; excess: number; cost: number } | null = null;
    for (let attempt = 0; attempt < ATTEMPTS && !(best && best.excess === 0); attempt++) {
      const cut = attemptCut(doors, sites, rest, graph, parts, band, seed + attempt * 0x9e3779b9);
      if (
        !best ||
        cut.worst < best.worst ||
        (cut.worst === best.worst && (cut.excess < best.excess || (cut.excess === best.excess && cut.cost < best.cost)))
      ) {
        best = cut;
      }
    }
    members = (best as { members: number[][] }).members;
  }
  const turfs = members.map((m) => toTurf(doors, sites, m));
  for (const s of alone) turfs.push(toTurf(doors, sites, [s]));
  return turfs;
}

function attemptCut(
  doors: readonly CutDoor[],
  sites: Sites,
  rest: readonly number[],
  graph: SiteGraph,
  parts: number,
  band: Band,
  seed: number,
): { members: number[][]; worst: number; excess: number; cost: number } {
  const tour = siteTour(sites, rest, graph, Math.round(KICKS_PER_SITE * rest.length), seededRandom(seed));
  const cut = cutTour(sites, graph, tour, parts, band, RADIUS_WEIGHT, SPREAD_WEIGHT);
  // With slack as large as any building the table finds a cut on any real input; bisection is a guard.
  const partition = new Partition(sites, cut?.assign ?? bisect(sites, rest, parts), parts);
  for (let round = 0; round < 3 && !repairBalance(partition, graph, band); round++) {
    if (!tradeBalance(partition, graph, band)) break;
  }
  let worst = 0;
  let total = 0;
  for (let t = 0; t < parts; t++) {
    worst = Math.max(worst, excess(partition.weight[t], band));
    total += excess(partition.weight[t], band);
  }
  // Trades keep counts in the band, so they wait until every turf is in it.
  if (total === 0) {
    const pointOf = (s: number) => doors[sites.doors[s][0]];
    const { walks } = reSplitPairs(partition, graph, band, pointOf, WALK_SPREAD_WEIGHT);
    evenWalks(partition, graph, band, pointOf, WALK_SPREAD_WEIGHT, walks);
  }
  return { members: partition.members, worst, excess: total, cost: cut?.cost ?? Infinity };
}

/**
 * A building with more doors than a turf may hold cannot share a turf without making it heavier
 * still, so the best balance left is to give it a turf of its own and to cut the other doors into
 * the remaining turfs. Taking one out lowers the mean of the rest, which can put the next one over.
 */
function setAsideOversized(sites: Sites, k: number, doors: number): { alone: number[]; rest: number[]; band: Band; parts: number } {
  const bySize = Array.from({ length: sites.count }, (_, s) => s).sort((a, b) => sites.weight[b] - sites.weight[a] || a - b);
  const alone: number[] = [];
  let parts = k;
  let left = doors;
  let band = balanceBand(left, parts);
  while (parts > 1 && sites.weight[bySize[alone.length]] > band.hi) {
    const s = bySize[alone.length];
    alone.push(s);
    left -= sites.weight[s];
    parts--;
    band = balanceBand(left, parts);
  }
  const rest = bySize.slice(alone.length).sort((a, b) => a - b);
  return { alone, rest, band, parts };
}

function toTurf(doors: readonly CutDoor[], sites: Sites, members: readonly number[]): CutTurf {
  const doorIndexes = members.flatMap((s) => sites.doors[s]).sort((a, b) => a - b);
  let lon = 0;
  let lat = 0;
  for (const i of doorIndexes) {
    lon += doors[i].lon;
    lat += doors[i].lat;
  }
  return { doorIndexes, centroid: { lon: lon / doorIndexes.length, lat: lat / doorIndexes.length } };
}
