import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Supporters' contact details past the organization's retention after the event. */
@Injectable()
export class SupporterRetentionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Deletes the name, e-mail and phone of up to `batch` supporters' RSVPs whose event ended more
   * than the organization's days ago, and what their reminders kept of the provider (its message
   * id, a failure's text, which may quote the address). The answers and the reminders' kinds,
   * channels and statuses stay: the counts. Returns how many RSVPs.
   */
  async clearContacts(now: Date, batch: number): Promise<number> {
    const [{ n }] = await this.dataSource.query<{ n: number }[]>(
      `WITH r AS (
         UPDATE rsvps SET name = NULL, email = NULL, phone = NULL, contact_purged_at = $1 WHERE id IN (
           SELECT r.id FROM rsvps r JOIN events e ON e.id = r.event_id JOIN organizations o ON o.id = r.organization_id
            WHERE r.user_id IS NULL AND r.contact_purged_at IS NULL
              AND e.ends_at + make_interval(days => o.supporter_contacts_retention_days) <= $1
            LIMIT $2)
         RETURNING id),
       m AS (UPDATE reminders SET provider_id = NULL, reason = NULL WHERE rsvp_id IN (SELECT id FROM r) RETURNING 1)
       SELECT count(*)::int AS n FROM r`,
      [now, batch],
    );
    return n;
  }
}
