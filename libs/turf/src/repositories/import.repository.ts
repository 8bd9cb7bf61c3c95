import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AddressImport, ImportErrorDetails, KeptApartExample, MERGE_WITHIN_METRES } from '../entities';
import { RejectionCode, RejectionParams, ValidAddress } from '../import/address-row';

export interface Rejection {
  line: number;
  /** Null on rows refused before rejections carried codes. */
  code: RejectionCode | null;
  params: RejectionParams | null;
  /** English. */
  reason: string;
}

export interface MergeResult {
  doorsCreated: number;
  validRows: number;
  swapped: number;
  /** Addresses of the file that the campaign now has at places too far apart to be one door. */
  addressesKeptApart: number;
  keptApartExamples: KeptApartExample[];
}

const KEPT_APART_EXAMPLES = 20;

/** Swapped pairs are told apart from far-away points by comparison with the file's median point. */
const SWAP_FAR_METRES = 200_000;
const SWAP_NEAR_METRES = 50_000;

@Injectable()
export class ImportRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(
    row: Pick<AddressImport, 'organizationId' | 'campaignId' | 'createdByUserId' | 'fileName' | 'format' | 'sizeBytes' | 'rowsTotal'>,
    content: Buffer,
  ): Promise<AddressImport> {
    return this.dataSource.transaction(async (m) => {
      const created = await m.getRepository(AddressImport).save(m.getRepository(AddressImport).create({ ...row, status: 'queued' }));
      await m.query('INSERT INTO address_import_files (import_id, content) VALUES ($1, $2)', [created.id, content]);
      return created;
    });
  }

  findById(id: string): Promise<AddressImport | null> {
    return this.dataSource.getRepository(AddressImport).findOneBy({ id });
  }

  listForCampaign(campaignId: string, limit: number, offset: number): Promise<[AddressImport[], number]> {
    return this.dataSource
      .getRepository(AddressImport)
      .findAndCount({ where: { campaignId }, order: { createdAt: 'DESC' }, take: limit, skip: offset });
  }

  /** Marks the import running (again, after a crash); null when it is already finished or gone. */
  async claim(id: string): Promise<(AddressImport & { content: Buffer }) | null> {
    // The UPDATE sits in a CTE so that the statement is a SELECT: TypeORM answers a bare UPDATE with [rows, count].
    const rows = await this.dataSource.query<(AddressImport & { content: Buffer })[]>(
      `WITH claimed AS (
         UPDATE address_imports i SET status = 'running', started_at = now(), rows_read = 0
           FROM address_import_files f
          WHERE i.id = $1 AND f.import_id = i.id AND i.status IN ('queued', 'running')
          RETURNING i.id, i.organization_id AS "organizationId", i.campaign_id AS "campaignId", i.format, f.content)
       SELECT * FROM claimed`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Progress is written outside the import's transaction, so that it shows while the import runs. */
  async progress(id: string, rowsRead: number): Promise<void> {
    await this.dataSource.query('UPDATE address_imports SET rows_read = $2 WHERE id = $1', [id, rowsRead]);
  }

  async createStaging(m: EntityManager): Promise<void> {
    await m.query(`CREATE TEMP TABLE import_staging (
      line int NOT NULL, lon float8 NOT NULL, lat float8 NOT NULL, number text NOT NULL, number_key text NOT NULL,
      street text NOT NULL, street_key text NOT NULL, unit text, unit_key text NOT NULL, city text, postcode text, source_id text
    ) ON COMMIT DROP`);
  }

  /** One multi-row insert per batch (arrays unnested server-side). */
  async stage(m: EntityManager, rows: ValidAddress[]): Promise<void> {
    if (rows.length === 0) return;
    const col = <K extends keyof ValidAddress>(k: K) => rows.map((r) => r[k]);
    await m.query(
      `INSERT INTO import_staging SELECT * FROM unnest($1::int[], $2::float8[], $3::float8[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])`,
      [
        col('line'),
        col('lon'),
        col('lat'),
        col('number'),
        col('numberKey'),
        col('street'),
        col('streetKey'),
        col('unit'),
        col('unitKey'),
        col('city'),
        col('postcode'),
        col('sourceId'),
      ],
    );
  }

  async reject(m: EntityManager, importId: string, rejections: Rejection[]): Promise<void> {
    if (rejections.length === 0) return;
    await m.query(
      `INSERT INTO address_import_rejections (import_id, line, reason, reason_code, reason_params)
       SELECT $1, line, reason, code, params::jsonb FROM unnest($2::int[], $3::text[], $4::text[], $5::text[]) AS x(line, reason, code, params)`,
      [
        importId,
        rejections.map((r) => r.line),
        rejections.map((r) => r.reason),
        rejections.map((r) => r.code),
        rejections.map((r) => (r.params ? JSON.stringify(r.params) : null)),
      ],
    );
  }

  /**
   * Rejects rows whose longitude and latitude were swapped (far from the others as given, near
   * them swapped), then merges the rest into the campaign: one building per normalised street and
   * number and place, one door per unit. Rows of one address merge only within
   * MERGE_WITHIN_METRES: the same address farther apart (one street name in two towns) is two
   * buildings. Existing buildings and doors are kept, so re-importing a file changes nothing.
   */
  async merge(m: EntityManager, importId: string, organizationId: string, campaignId: string): Promise<MergeResult> {
    // Two imports into one campaign would each miss the buildings the other is adding.
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('porchlight-imports:' || $1))`, [campaignId]);
    const [{ count: swapped }] = await m.query<{ count: number }[]>(
      `WITH mid AS (
         SELECT ST_MakePoint(percentile_cont(0.5) WITHIN GROUP (ORDER BY lon), percentile_cont(0.5) WITHIN GROUP (ORDER BY lat))::geography AS p,
                count(*) AS n
           FROM import_staging),
       bad AS (
         DELETE FROM import_staging s USING mid
          WHERE mid.n >= 5 AND abs(s.lon) <= 90
            AND ST_Distance(ST_MakePoint(s.lon, s.lat)::geography, mid.p) > $2
            AND ST_Distance(ST_MakePoint(s.lat, s.lon)::geography, mid.p) < $3
          RETURNING s.line),
       ins AS (
         INSERT INTO address_import_rejections (import_id, line, reason, reason_code)
         SELECT $1, line, 'longitude and latitude appear swapped', 'coordinates_swapped' FROM bad RETURNING 1)
       SELECT count(*)::int AS count FROM ins`,
      [importId, SWAP_FAR_METRES, SWAP_NEAR_METRES],
    );
    const [{ count: validRows }] = await m.query<{ count: number }[]>('SELECT count(*)::int AS count FROM import_staging');
    await this.placeBuildings(m, organizationId, campaignId);
    const [{ count: doorsCreated }] = await m.query<{ count: number }[]>(
      `WITH ins AS (
         INSERT INTO doors (organization_id, campaign_id, building_id, unit, unit_key)
         SELECT DISTINCT ON (p.building_id, s.unit_key) $1, $2, p.building_id, NULLIF(s.unit, ''), s.unit_key
           FROM import_staging s
           JOIN import_places p ON p.street_key = s.street_key AND p.number_key = s.number_key AND p.lon = s.lon AND p.lat = s.lat
          ORDER BY p.building_id, s.unit_key, s.line
         ON CONFLICT ON CONSTRAINT uq_doors_building_unit DO NOTHING
         RETURNING 1)
       SELECT count(*)::int AS count FROM ins`,
      [organizationId, campaignId],
    );
    return { doorsCreated, validRows, swapped, ...(await this.keptApart(m, campaignId)) };
  }

  /**
   * Gives every distinct point of an address (a "place") its building: the nearest building of the
   * campaign with that street and number within MERGE_WITHIN_METRES, else a new one. New buildings
   * stand at the first place (in file order) of each group; a place with no earlier place of its
   * address nearby is surely the first of its group, so each round makes those, then matches again.
   * One round more than the number of far-apart places of the worst address; usually two.
   */
  private async placeBuildings(m: EntityManager, organizationId: string, campaignId: string): Promise<void> {
    await m.query(
      `CREATE TEMP TABLE import_places ON COMMIT DROP AS
       SELECT DISTINCT ON (street_key, number_key, lon, lat)
              line, street_key, number_key, lon, lat, number, street, city, postcode, source_id,
              ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography AS location, NULL::uuid AS building_id
         FROM import_staging ORDER BY street_key, number_key, lon, lat, line`,
    );
    await m.query('CREATE INDEX ON import_places (street_key, number_key)');
    await m.query('ANALYZE import_places');
    for (;;) {
      // Every place, each round: a building made in a later round may be nearer than the one matched before.
      await m.query(
        `UPDATE import_places p SET building_id = (
           SELECT b.id FROM buildings b
            WHERE b.campaign_id = $1 AND b.street_key = p.street_key AND b.number_key = p.number_key
              AND ST_DWithin(b.location, p.location, $2)
            ORDER BY ST_Distance(b.location, p.location), b.id
            LIMIT 1)`,
        [campaignId, MERGE_WITHIN_METRES],
      );
      const [{ count: created }] = await m.query<{ count: number }[]>(
        `WITH ins AS (
           INSERT INTO buildings (organization_id, campaign_id, location, number, number_key, street, street_key, city, postcode, source_id)
           SELECT $1, $2, p.location, p.number, p.number_key, p.street, p.street_key, p.city, p.postcode, p.source_id
             FROM import_places p
            WHERE p.building_id IS NULL
              AND NOT EXISTS (
                SELECT 1 FROM import_places e
                 WHERE e.building_id IS NULL AND e.street_key = p.street_key AND e.number_key = p.number_key
                   AND e.line < p.line AND ST_DWithin(e.location, p.location, $3))
           RETURNING 1)
         SELECT count(*)::int AS count FROM ins`,
        [organizationId, campaignId, MERGE_WITHIN_METRES],
      );
      if (created === 0) return;
    }
  }

  /** The file's addresses (street, number and unit) that the campaign has as doors at two or more places. */
  private async keptApart(
    m: EntityManager,
    campaignId: string,
  ): Promise<{ addressesKeptApart: number; keptApartExamples: KeptApartExample[] }> {
    const rows = await m.query<(KeptApartExample & { total: number })[]>(
      `WITH addresses AS (
         SELECT DISTINCT ON (street_key, number_key, unit_key) street_key, number_key, unit_key, street, number, unit, line
           FROM import_staging ORDER BY street_key, number_key, unit_key, line),
       apart AS (
         SELECT a.*, array_agg(b.location) AS places
           FROM addresses a
           JOIN buildings b ON b.campaign_id = $1 AND b.street_key = a.street_key AND b.number_key = a.number_key
           JOIN doors d ON d.building_id = b.id AND d.unit_key = a.unit_key
          GROUP BY a.street_key, a.number_key, a.unit_key, a.street, a.number, a.unit, a.line
         HAVING count(*) > 1),
       first AS (SELECT *, count(*) OVER ()::int AS total FROM apart ORDER BY line LIMIT $2)
       SELECT f.street, f.number, NULLIF(f.unit, '') AS unit, cardinality(f.places)::int AS places, f.total,
              (SELECT round(max(ST_Distance(x, y)))::int FROM unnest(f.places) x, unnest(f.places) y) AS "farthestMetres"
         FROM first f ORDER BY f.line`,
      [campaignId, KEPT_APART_EXAMPLES],
    );
    return {
      addressesKeptApart: rows[0]?.total ?? 0,
      keptApartExamples: rows.map(({ street, number, unit, places, farthestMetres }) => ({ street, number, unit, places, farthestMetres })),
    };
  }

  /** Stamped with the time it really ends (now() would give the start of the import's transaction). */
  async complete(
    m: EntityManager,
    id: string,
    counts: {
      rowsRead: number;
      rowsImported: number;
      duplicatesMerged: number;
      rowsRejected: number;
      addressesKeptApart: number;
      keptApartExamples: KeptApartExample[];
    },
  ): Promise<void> {
    await m.query(
      `UPDATE address_imports SET status = 'completed', finished_at = clock_timestamp(), rows_total = $2, rows_read = $2,
              rows_imported = $3, duplicates_merged = $4, rows_rejected = $5, addresses_kept_apart = $6, kept_apart_examples = $7
        WHERE id = $1`,
      [
        id,
        counts.rowsRead,
        counts.rowsImported,
        counts.duplicatesMerged,
        counts.rowsRejected,
        counts.addressesKeptApart,
        JSON.stringify(counts.keptApartExamples),
      ],
    );
    await m.query('DELETE FROM address_import_files WHERE import_id = $1', [id]);
  }

  /** A file that cannot be read: nothing of it is kept but the reason. */
  async fail(id: string, code: string, message: string, details?: ImportErrorDetails): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `UPDATE address_imports SET status = 'failed', finished_at = clock_timestamp(), error_code = $2, error_message = $3,
                error_details = $4::jsonb,
                rows_imported = 0, duplicates_merged = 0, rows_rejected = 0, addresses_kept_apart = 0, kept_apart_examples = NULL
          WHERE id = $1`,
        [id, code, message.slice(0, 2000), details ? JSON.stringify(details) : null],
      );
      await m.query('DELETE FROM address_import_files WHERE import_id = $1', [id]);
    });
  }

  async listRejections(importId: string, limit: number, offset: number): Promise<[Rejection[], number]> {
    const rows = await this.dataSource.query<Rejection[]>(
      `SELECT line, reason_code AS code, reason_params AS params, reason FROM address_import_rejections
        WHERE import_id = $1 ORDER BY line, id LIMIT $2 OFFSET $3`,
      [importId, limit, offset],
    );
    const [{ n }] = await this.dataSource.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM address_import_rejections WHERE import_id = $1',
      [importId],
    );
    return [rows, n];
  }

  async allRejections(importId: string): Promise<Rejection[]> {
    return this.dataSource.query<Rejection[]>(
      `SELECT line, reason_code AS code, reason_params AS params, reason FROM address_import_rejections
        WHERE import_id = $1 ORDER BY line, id`,
      [importId],
    );
  }
}
