import { Inject, Injectable, Logger, MessageEvent, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { Observable } from 'rxjs';
import { Actor, assertInOrganization } from '@app/auth';
import { AuditService } from '@app/audit';
import { redisConfig, RedisConfig } from '@app/config';
import { AppError, Clock, csvDocument, ForbiddenError } from '@app/core';
import { JobProducer, REDIS_CLIENT } from '@app/queue';
import { TurfChanges } from '@app/turf';
import { CampaignRef, CoverageRepository, TurfFigures } from './coverage.repository';

export interface CoverageSummary {
  campaignId: string;
  doorsInScope: number;
  doorsAttempted: number;
  doorsReached: number;
  doorsWithMaterials: number;
  doNotKnock: number;
  visits: number;
  /** Doors attempted / doors in scope, in percent, one decimal. */
  coveragePct: number;
  reachedPct: number;
  materials: { materialId: string; name: string; kind: string; language: string; quantity: number }[];
  followUps: { open: number; closed: number };
  volunteersOutNow: number;
  shiftsToday: number;
  routesByStatus: Record<string, number>;
  updatedAt: string | null;
}

export type TurfCoverageRow = TurfFigures & { coveragePct: number; reachedPct: number };

/** What is wrong with a GeoJSON polygon's coordinates, or null: rings of at least four [lon, lat] positions, closed. */
function polygonShapeProblem(type: 'Polygon' | 'MultiPolygon', coordinates: unknown): string | null {
  const polygons = type === 'Polygon' ? [coordinates] : coordinates;
  if (!Array.isArray(polygons) || polygons.length === 0) return 'has no coordinates';
  for (const polygon of polygons) {
    if (!Array.isArray(polygon) || polygon.length === 0) return 'has a polygon without rings';
    for (const ring of polygon as unknown[]) {
      if (!Array.isArray(ring) || ring.length < 4) return 'has a ring of fewer than four positions';
      for (const p of ring as unknown[]) {
        if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'number' || Math.abs(p[0]) > 180 || Math.abs(p[1]) > 90) {
          return 'has a position that is not [longitude, latitude]';
        }
      }
      const [first, last] = [ring[0] as number[], ring[ring.length - 1] as number[]];
      if (first[0] !== last[0] || first[1] !== last[1]) return 'has a ring that does not close (its last position must repeat the first)';
    }
  }
  return null;
}

/** The shortest time from the start of one refresh that found work to the start of the next. */
const MIN_REFRESH_INTERVAL_MS = 250;
/** After a refresh that found work, a pause of this many times its duration... */
const REFRESH_PAUSE = 4;
/** ...up to this long: under the heaviest load the dashboards lag by about this much, plus a refresh. */
const MAX_REFRESH_PAUSE_MS = 2_000;
/** One API process queues at most one refresh per this many ms (the queue keeps one anyway); the last sync's is always queued. */
const CHANGED_EVERY_MS = 100;
/** Campaigns whose all-turfs answer an API process keeps (up to about 0.5 MB each at 2,000 turfs). */
const TURF_ANSWERS_KEPT = 32;
/**
 * Each stream checks this often (and before each push) that its session and membership still let
 * it in with the same role, and ends when they do not: after logout, a password change or a
 * revoked session, a deactivation or a role change, as the same token is refused everywhere else.
 */
export const STREAM_CHECK_EVERY_MS = 2_000;

const pct = (part: number, whole: number) => (whole > 0 ? Math.round((1000 * part) / whole) / 10 : 0);

/**
 * Coverage figures served from rollups the worker keeps, and pushed live: after each refresh the
 * worker publishes the campaigns that changed on Redis, and every API process streams fresh
 * figures to the dashboards watching them.
 */
@Injectable()
export class CoverageService implements OnModuleDestroy {
  private readonly logger = new Logger(CoverageService.name);
  private subscriber: Redis | null = null;
  private readonly watchers = new Map<string, Set<() => void>>();
  private readonly channel: string;
  private nextRefreshAt = 0;
  private lastChangedAt = 0;
  private trailing: NodeJS.Timeout | null = null;
  private readonly loading = new Map<string, Promise<unknown>>();
  /**
   * Per campaign, how many changes this process has heard of (see `subscribe`). It is part of the
   * key of a shared load, so that a load begun before a change is never handed to a caller after
   * it: the streams' pushes that follow a refresh would otherwise get the figures from before it,
   * and keep them until the next change.
   */
  private readonly heard = new Map<string, number>();
  /** The last all-turfs answer of recently asked campaigns, with the version it was read under. */
  private readonly turfAnswers = new Map<string, { version: string; body: Buffer }>();

  constructor(
    private readonly repository: CoverageRepository,
    private readonly jobs: JobProducer,
    private readonly audit: AuditService,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(redisConfig.KEY) config: RedisConfig,
    turfChanges: TurfChanges,
    private readonly clock: Clock,
  ) {
    this.channel = `${config.keyPrefix}:coverage-changed`;
    turfChanges.onChange((m, turfIds, campaignIds) => this.repository.turfsChanged(m, turfIds, campaignIds));
  }

  /**
   * Asks the worker to bring the rollups up to date; at most one refresh waits while another runs.
   * Calls within CHANGED_EVERY_MS of the last request make one more at the end of that time. Never throws.
   */
  changed(): void {
    const now = Date.now();
    if (now < this.lastChangedAt + CHANGED_EVERY_MS) {
      this.trailing ??= setTimeout(
        () => {
          this.trailing = null;
          this.changed();
        },
        this.lastChangedAt + CHANGED_EVERY_MS - now,
      ).unref();
      return;
    }
    this.lastChangedAt = now;
    this.jobs
      .enqueue(
        'coverage-refresh',
        { full: false },
        { deduplication: { id: 'coverage-refresh', keepLastIfActive: true }, attempts: 3, removeOnComplete: true, removeOnFail: true },
      )
      .catch((err: unknown) => this.logger.warn(`coverage refresh not queued (the worker's timer will catch up): ${String(err)}`));
  }

  /**
   * Tells every API process that the campaign's live figures (follow-ups, shifts) changed, so that
   * its dashboards get them now rather than with the next visits. Never throws: the figures are
   * right on the next push or reload anyway.
   */
  async touched(campaignId: string): Promise<void> {
    await this.redis.publish(this.channel, campaignId).catch((err: unknown) => this.logger.warn(`coverage push not sent: ${String(err)}`));
  }

  /**
   * Run by the worker (its jobs and its catch-up timer). After a refresh that found work, the next
   * one waits REFRESH_PAUSE times as long as it took (at most MAX_REFRESH_PAUSE_MS, and at least
   * until MIN_REFRESH_INTERVAL_MS after its start): a sync after a quiet spell is taken in at once,
   * while under a steady stream of syncs the refreshes take about a fifth of the worker's time,
   * each taking in more visits.
   */
  async refresh(full: boolean): Promise<{ campaigns: number; doors: number }> {
    const wait = this.nextRefreshAt - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const started = Date.now();
    const { campaigns, doors } = await this.repository.refresh(full);
    for (const id of campaigns) await this.redis.publish(this.channel, id);
    const took = Date.now() - started;
    if (doors > 0)
      this.nextRefreshAt = Math.max(started + MIN_REFRESH_INTERVAL_MS, Date.now() + Math.min(MAX_REFRESH_PAUSE_MS, REFRESH_PAUSE * took));
    return { campaigns: campaigns.length, doors };
  }

  /** The snapshot of the visits the rollups have counted (retention deletes only what it sees); null before the first refresh. */
  countedSnapshot(): Promise<string | null> {
    return this.repository.countedSnapshot();
  }

  async summary(actor: Actor, campaignId: string): Promise<CoverageSummary> {
    await this.campaign(actor, campaignId);
    return this.figures(actor.organizationId, campaignId);
  }

  async turfs(actor: Actor, campaignId: string): Promise<TurfCoverageRow[]> {
    await this.campaign(actor, campaignId);
    return this.shared(`turfs ${campaignId} ${this.heard.get(campaignId) ?? 0}`, async () =>
      (await this.repository.turfs(campaignId)).map((t) => ({
        ...t,
        coveragePct: pct(t.attempted, t.doors),
        reachedPct: pct(t.reached, t.doors),
      })),
    );
  }

  /**
   * `turfs()` as the JSON of the answer, made by the database (see CoverageRepository.turfsJson).
   * The last answer of each campaign is kept with the version of the campaign's per-turf figures
   * it was read under (CoverageVersion), and served again while the campaign's access check reads
   * the same version: any write to what the answer shows changes the version in its own
   * transaction, so a kept answer is never older than the rows. Read after its version, an answer
   * can only be newer than the version says, which makes the next request read it again.
   */
  async turfsJson(actor: Actor, campaignId: string): Promise<Buffer> {
    const { turfsVersion } = await this.campaign(actor, campaignId);
    const kept = this.turfAnswers.get(campaignId);
    if (kept?.version === turfsVersion) {
      // Most recently asked last, so that the oldest is the one dropped.
      this.turfAnswers.delete(campaignId);
      this.turfAnswers.set(campaignId, kept);
      return kept.body;
    }
    return this.shared(`turfs.json ${campaignId} ${turfsVersion}`, async () => {
      const body = Buffer.from(await this.repository.turfsJson(campaignId), 'utf8');
      const latest = this.turfAnswers.get(campaignId);
      if (!latest || BigInt(latest.version) < BigInt(turfsVersion)) {
        this.turfAnswers.delete(campaignId);
        this.turfAnswers.set(campaignId, { version: turfsVersion, body });
        if (this.turfAnswers.size > TURF_ANSWERS_KEPT) this.turfAnswers.delete(this.turfAnswers.keys().next().value as string);
      }
      return body;
    });
  }

  /** Visits per hour or per day, in the campaign's time zone. */
  async series(actor: Actor, campaignId: string, bucket: 'hour' | 'day') {
    const campaign = await this.campaign(actor, campaignId);
    return { timeZone: campaign.timeZone, bucket, points: await this.repository.series(campaignId, campaign.timeZone, bucket) };
  }

  /** Each volunteer's figures, for organizers and coordinators. */
  async volunteers(actor: Actor, campaignId: string) {
    await this.campaign(actor, campaignId);
    return this.repository.volunteers(campaignId);
  }

  /** Volunteers ranked by doors attempted, for every member: only when the organization turned leaderboards on. */
  async leaderboard(actor: Actor, campaignId: string) {
    await this.campaign(actor, campaignId);
    if (!(await this.repository.leaderboardsEnabled(actor.organizationId))) {
      throw new ForbiddenError('This organization does not show leaderboards; an organizer can turn them on');
    }
    return (await this.repository.volunteers(campaignId)).map((v, i) => ({ rank: i + 1, name: v.name, doorsAttempted: v.doorsAttempted }));
  }

  /**
   * Replaces the campaign's neighbourhoods with the polygons of a GeoJSON FeatureCollection (each
   * named by its `name` property). Every bad feature is reported with its position and why; then nothing is kept.
   */
  async importNeighbourhoods(
    actor: Actor,
    campaignId: string,
    collection: unknown,
  ): Promise<{ neighbourhoods: number; doorsPlaced: number; repaired: { index: number; name: string; reason: string }[] }> {
    await this.campaign(actor, campaignId);
    const c = collection as { type?: unknown; features?: unknown };
    if (!c || c.type !== 'FeatureCollection' || !Array.isArray(c.features) || c.features.length === 0) {
      throw new AppError('VALIDATION_FAILED', 'Send a GeoJSON FeatureCollection of Polygon or MultiPolygon features, each with a name', {
        fields: { features: ['must be a non-empty array of features'] },
      });
    }
    if (c.features.length > 2000)
      throw new AppError('VALIDATION_FAILED', 'At most 2,000 neighbourhoods', { fields: { features: ['has more than 2000 features'] } });
    const fields: Record<string, string[]> = {};
    const items: { name: string; geometry: object }[] = [];
    c.features.forEach((f: { geometry?: { type?: unknown; coordinates?: unknown }; properties?: Record<string, unknown> }, i: number) => {
      const raw = f?.properties?.name ?? f?.properties?.NAME ?? f?.properties?.neighborhood ?? f?.properties?.neighbourhood;
      const name = typeof raw === 'string' ? raw.trim().slice(0, 200) : '';
      const g = f?.geometry;
      if (!name) fields[`features.${i}.properties.name`] = ['is missing'];
      const shape =
        g && (g.type === 'Polygon' || g.type === 'MultiPolygon')
          ? polygonShapeProblem(g.type, g.coordinates)
          : 'must be a Polygon or MultiPolygon';
      if (shape) fields[`features.${i}.geometry`] = [shape];
      else if (name) items.push({ name, geometry: g as object });
    });
    if (Object.keys(fields).length > 0) {
      throw new AppError('VALIDATION_FAILED', `${Object.keys(fields).length} problems in the neighbourhoods; nothing was imported`, {
        fields,
      });
    }
    // Real outlines are often slightly broken (a ring crossing itself): PostGIS repairs them, and the answer says which.
    const repaired = (await this.repository.outlineProblems(items.map((i) => i.geometry))).map((p) => ({
      index: p.index,
      name: items[p.index].name,
      reason: p.reason,
    }));
    const doorsPlaced = await this.repository.replaceNeighbourhoods(actor.organizationId, campaignId, items);
    return { neighbourhoods: items.length, doorsPlaced, repaired };
  }

  async neighbourhoods(actor: Actor, campaignId: string) {
    await this.campaign(actor, campaignId);
    return (await this.repository.neighbourhoods(campaignId)).map((n) => ({
      ...n,
      coveragePct: pct(n.attempted, n.doors),
      reachedPct: pct(n.reached, n.doors),
    }));
  }

  /** Turfs as GeoJSON, the coverage in each feature's properties (with a label: the map need not rely on colour). */
  async turfMap(actor: Actor, campaignId: string): Promise<object> {
    await this.campaign(actor, campaignId);
    const rows = await this.repository.turfMap(campaignId);
    return {
      type: 'FeatureCollection',
      features: rows
        .filter((r) => r.outline)
        .map(({ outline, ...t }) => {
          const coveragePct = pct(t.attempted, t.doors);
          return {
            type: 'Feature',
            id: t.turfId,
            geometry: outline,
            properties: { ...t, coveragePct, reachedPct: pct(t.reached, t.doors), label: `${t.name}: ${coveragePct}%` },
          };
        }),
    };
  }

  /** Doors as GeoJSON points with their status. Door-level data: organizers only (the controller says so). */
  async doorMap(actor: Actor, campaignId: string): Promise<object> {
    await this.campaign(actor, campaignId);
    const rows = await this.repository.doorMap(campaignId);
    await this.audit.record({
      action: 'export.doors',
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      targetType: 'campaign',
      targetId: campaignId,
      metadata: { doors: rows.length, format: 'geojson' },
    });
    return {
      type: 'FeatureCollection',
      features: rows.map(({ lon, lat, ...d }) => ({
        type: 'Feature',
        id: d.doorId,
        geometry: { type: 'Point', coordinates: [lon, lat] },
        properties: d,
      })),
    };
  }

  /** The figures of every turf as CSV; audited like every export. */
  async coverageCsv(actor: Actor, campaignId: string): Promise<string> {
    const rows = await this.turfs(actor, campaignId);
    await this.audit.record({
      action: 'export.coverage',
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      targetType: 'campaign',
      targetId: campaignId,
      metadata: { rows: rows.length, format: 'csv' },
    });
    return csvDocument(
      ['turf', 'doors', 'attempted', 'reached', 'with_materials', 'do_not_knock', 'visits', 'coverage_pct', 'reached_pct'],
      rows.map((r) => [r.name, r.doors, r.attempted, r.reached, r.withMaterials, r.doNotKnock, r.visits, r.coveragePct, r.reachedPct]),
    );
  }

  /**
   * Server-sent events: the figures now, then again whenever the campaign's rollups change. The
   * stream ends (the response closes) once the actor's session or membership no longer lets it in
   * with the role it had, checked before each push and every STREAM_CHECK_EVERY_MS.
   */
  async stream(actor: Actor, campaignId: string): Promise<Observable<MessageEvent>> {
    await this.campaign(actor, campaignId);
    await this.subscribe();
    return new Observable<MessageEvent>((subscriber) => {
      let closed = false;
      const end = () => {
        if (closed) return;
        stop();
        subscriber.complete();
      };
      const holds = () =>
        this.repository.actorHolds(actor, this.clock.now()).catch((err: unknown) => {
          // Unsure is no: the browser reconnects, and the reconnection passes the guard or not.
          this.logger.warn(`coverage stream: access not checked: ${String(err)}`);
          return false;
        });
      const check = () => {
        void holds().then((ok) => !ok && end());
      };
      const push = () => {
        Promise.all([holds(), this.figures(actor.organizationId, campaignId)])
          .then(([ok, data]) => {
            if (!ok) end();
            else if (!closed) subscriber.next({ type: 'coverage', data });
          })
          .catch((err: unknown) => this.logger.warn(`coverage stream: ${String(err)}`));
      };
      const timer = setInterval(check, STREAM_CHECK_EVERY_MS);
      timer.unref();
      const set = this.watchers.get(campaignId) ?? new Set();
      set.add(push);
      this.watchers.set(campaignId, set);
      const stop = () => {
        closed = true;
        clearInterval(timer);
        set.delete(push);
        if (set.size === 0 && this.watchers.get(campaignId) === set) this.watchers.delete(campaignId);
      };
      push();
      return stop;
    });
  }

  async onModuleDestroy(): Promise<void> {
    if (this.trailing) {
      clearTimeout(this.trailing);
      this.trailing = null;
    }
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }

  private async subscribe(): Promise<void> {
    if (this.subscriber) return;
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('message', (_channel: string, campaignId: string) => {
      this.heard.set(campaignId, (this.heard.get(campaignId) ?? 0) + 1);
      this.watchers.get(campaignId)?.forEach((push) => push());
    });
    await this.subscriber.subscribe(this.channel);
  }

  /**
   * The campaign, if it is the caller's organization's (else NOT_FOUND): by its primary key alone,
   * as every figure and stream is asked for by campaign.
   */
  private async campaign(actor: Actor, campaignId: string): Promise<CampaignRef> {
    return assertInOrganization(actor, await this.repository.campaignRef(campaignId), 'Campaign');
  }

  /**
   * One load for every caller that asks for the same figures while it runs: the dashboards of a
   * campaign (and the streams pushing to them after a refresh) ask at the same moments, and would
   * otherwise run the same queries side by side. A caller may so get figures read a few
   * milliseconds before it asked, but never from before a change this process has heard of (the
   * keys carry `heard`); the answer is shared, not to be changed.
   */
  private shared<T>(key: string, load: () => Promise<T>): Promise<T> {
    const running = this.loading.get(key) as Promise<T> | undefined;
    if (running) return running;
    const loaded = load().finally(() => this.loading.delete(key));
    this.loading.set(key, loaded);
    return loaded;
  }

  private figures(organizationId: string, campaignId: string): Promise<CoverageSummary> {
    return this.shared(`figures ${organizationId} ${campaignId} ${this.heard.get(campaignId) ?? 0}`, () =>
      this.loadFigures(organizationId, campaignId),
    );
  }

  private async loadFigures(organizationId: string, campaignId: string): Promise<CoverageSummary> {
    const [c, live] = await Promise.all([this.repository.campaign(campaignId), this.repository.live(organizationId, campaignId)]);
    const names = await this.repository.materialNames(Object.keys(c.materials));
    return {
      campaignId,
      doorsInScope: c.doors,
      doorsAttempted: c.attempted,
      doorsReached: c.reached,
      doorsWithMaterials: c.withMaterials,
      doNotKnock: c.doNotKnock,
      visits: c.visits,
      coveragePct: pct(c.attempted, c.doors),
      reachedPct: pct(c.reached, c.doors),
      materials: names.map((n) => ({ materialId: n.id, name: n.name, kind: n.kind, language: n.language, quantity: c.materials[n.id] })),
      followUps: { open: live.followUpsOpen, closed: live.followUpsClosed },
      volunteersOutNow: live.volunteersOut,
      shiftsToday: live.shiftsToday,
      routesByStatus: live.routes,
      updatedAt: c.updatedAt ? new Date(c.updatedAt).toISOString() : null,
    };
  }
}
