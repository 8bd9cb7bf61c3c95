import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AddressImport } from '../entities';
import { ValidAddress } from '../import/address-row';

export interface Rejection {
  line: number;
  reason: string;
}

export interface MergeResult {
  doorsCreated: number;
  validRows: number;
  swapped: number;
}

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
    await m.query(`INSERT INTO address_import_rejections (import_id, line, reason) SELECT $1, * FROM unnest($2::int[], $3::text[])`, [
      importId,
      rejections.map((r) => r.line),
      rejections.map((r) => r.reason),
    ]);
  }

  /**
   * Rejects rows whose longitude and latitude were swapped (far from the others as given, near
   * them swapped), then merges the rest into the campaign: one building per normalised street
   * and number, one door per unit. Existing buildings and doors are kept, so re-importing a
   * file changes nothing.
   */
  async merge(m: EntityManager, importId: string, organizationId: string, campaignId: string): Promise<MergeResult> {
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
         INSERT INTO address_import_rejections (import_id, line, reason)
         SELECT $1, line, 'longitude and latitude appear swapped' FROM bad RETURNING 1)
       SELECT count(*)::int AS count FROM ins`,
      [importId, SWAP_FAR_METRES, SWAP_NEAR_METRES],
    );
    const [{ count: validRows }] = await m.query<{ count: number }[]>('SELECT count(*)::int AS count FROM import_staging');
    await m.query(
      `INSERT INTO buildings (organization_id, campaign_id, location, number, number_key, street, street_key, city, postcode, source_id)
       SELECT DISTINCT ON (street_key, number_key) $1, $2, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography,
              number, number_key, street, street_key, city, postcode, source_id
         FROM import_staging ORDER BY street_key, number_key, line
       ON CONFLICT ON CONSTRAINT uq_buildings_address DO NOTHING`,
      [organizationId, campaignId],
    );
    const [{ count: doorsCreated }] = await m.query<{ count: number }[]>(
      `WITH ins AS (
         INSERT INTO doors (organization_id, campaign_id, building_id, unit, unit_key)
         SELECT DISTINCT ON (b.id, s.unit_key) $1, $2, b.id, NULLIF(s.unit, ''), s.unit_key
           FROM import_staging s
           JOIN buildings b ON b.campaign_id = $2 AND b.street_key = s.street_key AND b.number_key = s.number_key
          ORDER BY b.id, s.unit_key, s.line
         ON CONFLICT ON CONSTRAINT uq_doors_building_unit DO NOTHING
         RETURNING 1)
       SELECT count(*)::int AS count FROM ins`,
      [organizationId, campaignId],
    );
    return { doorsCreated, validRows, swapped };
  }

  /** Stamped with the time it really ends (now() would give the start of the import's transaction). */
  async complete(
    m: EntityManager,
    id: string,
    counts: { rowsRead: number; rowsImported: number; duplicatesMerged: number; rowsRejected: number },
  ): Promise<void> {
    await m.query(
      `UPDATE address_imports SET status = 'completed', finished_at = clock_timestamp(), rows_total = $2, rows_read = $2,
              rows_imported = $3, duplicates_merged = $4, rows_rejected = $5 WHERE id = $1`,
      [id, counts.rowsRead, counts.rowsImported, counts.duplicatesMerged, counts.rowsRejected],
    );
    await m.query('DELETE FROM address_import_files WHERE import_id = $1', [id]);
  }

  /** A file that cannot be read: nothing of it is kept but the reason. */
  async fail(id: string, code: string, message: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `UPDATE address_imports SET status = 'failed', finished_at = clock_timestamp(), error_code = $2, error_message = $3,
                rows_imported = 0, duplicates_merged = 0, rows_rejected = 0 WHERE id = $1`,
        [id, code, message.slice(0, 2000)],
      );
      await m.query('DELETE FROM address_import_files WHERE import_id = $1', [id]);
    });
  }

  async listRejections(importId: string, limit: number, offset: number): Promise<[Rejection[], number]> {
    const rows = await this.dataSource.query<Rejection[]>(
      'SELECT line, reason FROM address_import_rejections WHERE import_id = $1 ORDER BY line, id LIMIT $2 OFFSET $3',
      [importId, limit, offset],
    );
    const [{ n }] = await this.dataSource.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM address_import_rejections WHERE import_id = $1',
      [importId],
    );
    return [rows, n];
  }

  async allRejections(importId: string): Promise<Rejection[]> {
    return this.dataSource.query<Rejection[]>('SELECT line, reason FROM address_import_rejections WHERE import_id = $1 ORDER BY line, id', [
      importId,
    ]);
  }
}
