/**
 * What a volunteer's phone sends to POST /sync, and the check of the answer: shared by the sync
 * benchmarks (I1, I2, I3) and the coverage benchmarks that write (D3, D4).
 */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { call } from './http';

/** A volunteer logged in, walking a route: the next visit is at `doorIds[cursor]`. */
export interface Walker {
  accessToken: string;
  turfId: string;
  /** The route's doors, in walking order. */
  doorIds: string[];
  /** The next door of the route to visit. */
  cursor: number;
}

/** Outcomes without side effects beyond the visit row itself (no follow-up, no do-not-knock). */
const OUTCOMES = ['not_home', 'not_home', 'talked', 'refused', 'come_back_later', 'not_home', 'talked', 'no_access'] as const;

export interface VisitItem {
  kind: 'visit';
  id: string;
  turfId: string;
  doorId: string;
  outcome: string;
  recordedAt: string;
  language?: string;
}

/**
 * `size` visits by the volunteer, on the next doors of their route, each with a fresh id made
 * here as the phone makes it; a conversation is in Spanish. The phone's clock reads the time of
 * sending (the routes were handed out moments before the first batch: a visit recorded earlier
 * would be stored with a `before_assignment` flag, which postSync refuses).
 */
export function visitBatch(v: Walker, size: number, at = Date.now()): VisitItem[] {
  const recordedAt = new Date(at).toISOString();
  const items: VisitItem[] = [];
  for (let i = 0; i < size; i++) {
    const doorId = v.doorIds[v.cursor];
    v.cursor = (v.cursor + 1) % v.doorIds.length;
    const outcome = OUTCOMES[(v.cursor + i) % OUTCOMES.length];
    const item: VisitItem = { kind: 'visit', id: randomUUID(), turfId: v.turfId, doorId, outcome, recordedAt };
    if (outcome === 'talked') item.language = 'es';
    items.push(item);
  }
  return items;
}

/** The part of the answer that says every record of a batch of `n` was stored (or, replayed, that none was). */
export const allCreated = (n: number) => `"counts":{"created":${n},"duplicate":0,"rejected":0,"quarantined":0}`;
export const allDuplicate = (n: number) => `"counts":{"created":0,"duplicate":${n},"rejected":0,"quarantined":0}`;

/**
 * POST /sync with a body already serialized; throws unless the answer is 200 with `expect` in
 * it and no clock flag. Looking for the counts in the text spares the client a JSON parse per
 * request.
 */
export async function postSync(agent: http.Agent, baseUrl: string, v: Walker, body: string, expect: string): Promise<void> {
  const res = await call(agent, baseUrl, 'POST', '/sync', { token: v.accessToken, text: body });
  if (res.status !== 200 || !res.body.includes(expect) || res.body.includes('"flags"')) {
    throw new Error(`POST /sync answered ${res.status}, not ${expect}: ${res.body.slice(0, 600)}`);
  }
}

/** POST /sync of `size` fresh visits on the next doors of the volunteer's route; each must be created. */
export function postVisits(agent: http.Agent, baseUrl: string, v: Walker, size: number): Promise<void> {
  return postSync(agent, baseUrl, v, JSON.stringify({ items: visitBatch(v, size) }), allCreated(size));
}
