import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface DoorRow {
  id: string;
  organizationId: string;
  campaignId: string;
  buildingId: string;
  unit: string | null;
  number: string;
  street: string;
  city: string | null;
  postcode: string | null;
  lon: number;
  lat: number;
  doNotKnockAt: Date | null;
}

const COLUMNS = `d.id, d.organization_id AS "organizationId", d.campaign_id AS "campaignId", d.building_id AS "buildingId", d.unit,
  b.number, b.street, b.city, b.postcode, ST_X(b.location::geometry) AS lon, ST_Y(b.location::geometry) AS lat,
  d.do_not_knock_at AS "doNotKnockAt"`;

@Injectable()
export class DoorRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findById(id: string): Promise<DoorRow | null> {
    const rows = await this.dataSource.query<DoorRow[]>(
      `SELECT ${COLUMNS} FROM doors d JOIN buildings b ON b.id = d.building_id WHERE d.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** A campaign's doors by street, number and unit. */
  async listForCampaign(campaignId: string, limit: number, offset: number): Promise<[DoorRow[], number]> {
    const rows = await this.dataSource.query<DoorRow[]>(
      `SELECT ${COLUMNS} FROM doors d JOIN buildings b ON b.id = d.building_id
        WHERE d.campaign_id = $1
        ORDER BY b.street_key, NULLIF(regexp_replace(b.number_key, '\\D.*$', ''), '')::numeric NULLS LAST, b.number_key, d.unit_key, d.id
        LIMIT $2 OFFSET $3`,
      [campaignId, limit, offset],
    );
    const [{ n }] = await this.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM doors WHERE campaign_id = $1', [
      campaignId,
    ]);
    return [rows, n];
  }

  /** Marks or unmarks the door; returns the turfs holding it and its campaign, whose figures count the marks (null: no such door). */
  async setDoNotKnock(m: EntityManager, id: string, at: Date | null): Promise<{ turfIds: string[]; campaignId: string } | null> {
    const [row] = await m.query<{ campaignId: string; turfIds: string[] }[]>(
      `WITH marked AS (UPDATE doors SET do_not_knock_at = $2 WHERE id = $1 RETURNING campaign_id)
       SELECT campaign_id AS "campaignId", array(SELECT turf_id::text FROM turf_doors WHERE door_id = $1) AS "turfIds" FROM marked`,
      [id, at],
    );
    return row ?? null;
  }
}
