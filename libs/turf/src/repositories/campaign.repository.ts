import { Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError } from 'typeorm';
import { Campaign } from '../entities';

export interface CampaignInput {
  name: string;
  description?: string;
  startsOn?: string | null;
  endsOn?: string | null;
  /** GeoJSON Polygon or MultiPolygon, already checked with `geometryProblem`. */
  area?: object | null;
  allowSelfAssignment?: boolean;
  timeZone?: string;
}

export interface CampaignRow extends Omit<Campaign, 'area' | 'organization'> {
  area: object | null;
  doorCount: number;
}

const COLUMNS = `c.id, c.organization_id AS "organizationId", c.name, c.description, c.starts_on::text AS "startsOn", c.ends_on::text AS "endsOn", c.allow_self_assignment AS "allowSelfAssignment",
  c.time_zone AS "timeZone", ST_AsGeoJSON(c.area)::json AS area, c.created_at AS "createdAt", c.updated_at AS "updatedAt",
  (SELECT count(*)::int FROM doors d WHERE d.campaign_id = c.id) AS "doorCount"`;

@Injectable()
export class CampaignRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Why PostGIS finds the polygon invalid (e.g. "Self-intersection[...]"), or null when it is valid. */
  async geometryProblem(geojson: object): Promise<string | null> {
    try {
      const [row] = await this.dataSource.query<{ reason: string | null }[]>(
        `SELECT CASE WHEN ST_IsEmpty(g) THEN 'the polygon is empty'
                     WHEN NOT ST_IsValid(g) THEN ST_IsValidReason(g) END AS reason
           FROM (SELECT ST_GeomFromGeoJSON($1) AS g) x`,
        [JSON.stringify(geojson)],
      );
      return row.reason;
    } catch (err) {
      // PostGIS refuses some shapes outright (a ring of two points, unclosed rings): its message says why.
      if (err instanceof QueryFailedError) return err.message;
      throw err;
    }
  }

  async create(organizationId: string, input: CampaignInput): Promise<CampaignRow> {
    const [{ id }] = await this.dataSource.query<{ id: string }[]>(
      `INSERT INTO campaigns (organization_id, name, description, starts_on, ends_on, area, allow_self_assignment, time_zone)
       VALUES ($1, $2, $3, $4, $5, CASE WHEN $6::text IS NULL THEN NULL ELSE ST_Multi(ST_GeomFromGeoJSON($6))::geography END, $7, $8)
       RETURNING id`,
      [
        organizationId,
        input.name,
        input.description ?? '',
        input.startsOn ?? null,
        input.endsOn ?? null,
        input.area ? JSON.stringify(input.area) : null,
        input.allowSelfAssignment ?? false,
        input.timeZone ?? 'UTC',
      ],
    );
    return (await this.findById(id))!;
  }

  async update(id: string, input: Partial<CampaignInput>): Promise<void> {
    await this.dataSource.query(
      `UPDATE campaigns SET
         name = COALESCE($2, name),
         description = COALESCE($3, description),
         starts_on = CASE WHEN $4::boolean THEN $5::date ELSE starts_on END,
         ends_on = CASE WHEN $6::boolean THEN $7::date ELSE ends_on END,
         area = CASE WHEN $8::boolean THEN (CASE WHEN $9::text IS NULL THEN NULL ELSE ST_Multi(ST_GeomFromGeoJSON($9))::geography END) ELSE area END,
         allow_self_assignment = COALESCE($10::boolean, allow_self_assignment),
         time_zone = COALESCE($11, time_zone),
         updated_at = now()
       WHERE id = $1`,
      [
        id,
        input.name ?? null,
        input.description ?? null,
        input.startsOn !== undefined,
        input.startsOn ?? null,
        input.endsOn !== undefined,
        input.endsOn ?? null,
        input.area !== undefined,
        input.area ? JSON.stringify(input.area) : null,
        input.allowSelfAssignment ?? null,
        input.timeZone ?? null,
      ],
    );
  }

  async findById(id: string): Promise<CampaignRow | null> {
    const rows = await this.dataSource.query<CampaignRow[]>(`SELECT ${COLUMNS} FROM campaigns c WHERE c.id = $1`, [id]);
    return rows[0] ?? null;
  }

  async listForOrganization(organizationId: string, limit: number, offset: number): Promise<[CampaignRow[], number]> {
    const rows = await this.dataSource.query<CampaignRow[]>(
      `SELECT ${COLUMNS} FROM campaigns c WHERE c.organization_id = $1 ORDER BY c.created_at DESC, c.id LIMIT $2 OFFSET $3`,
      [organizationId, limit, offset],
    );
    const [{ n }] = await this.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM campaigns WHERE organization_id = $1', [
      organizationId,
    ]);
    return [rows, n];
  }
}
