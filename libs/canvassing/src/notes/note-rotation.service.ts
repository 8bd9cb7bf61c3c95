import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '@app/core';
import { NoteSealer } from './note-sealer';

export interface NoteRotationReport {
  /** The key every note should now be sealed with. */
  keyId: string;
  resealed: number;
  /** Visits whose note opened with no configured key: left as they were. */
  unreadable: string[];
}

/**
 * Re-seals every visit note under the current key (the first of NOTES_ENCRYPTION_KEYS), after a
 * new key was put first. Batches go by visit id, each in its own short transaction with its rows
 * locked, so syncs go on meanwhile and a stopped run resumes where it was by running it again.
 * Only the note changes: `txid` stays, so phones and the coverage rollups see no new visit.
 */
@Injectable()
export class NoteRotationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly notes: NoteSealer,
  ) {}

  async rotate(batchSize = 500, onBatch?: (report: NoteRotationReport) => void): Promise<NoteRotationReport> {
    const report: NoteRotationReport = { keyId: this.notes.currentKeyId, resealed: 0, unreadable: [] };
    const current = `v1:${report.keyId}:`;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const { last, read } = await this.dataSource.transaction(async (m) => {
        const rows = await m.query<{ id: string; note: string }[]>(
          `SELECT id, note FROM visits WHERE id > $1 AND note IS NOT NULL AND NOT starts_with(note, $2)
            ORDER BY id LIMIT $3 FOR UPDATE`,
          [after, current, batchSize],
        );
        const ids: string[] = [];
        const sealed: string[] = [];
        for (const row of rows) {
          try {
            sealed.push(this.notes.seal(row.id, this.notes.open(row.id, row.note)));
            ids.push(row.id);
          } catch (err) {
            if (!(err instanceof AppError && err.code === 'NOTE_UNREADABLE')) throw err;
            report.unreadable.push(row.id);
          }
        }
        if (ids.length > 0) {
          await m.query(`UPDATE visits v SET note = x.note FROM unnest($1::uuid[], $2::text[]) AS x(id, note) WHERE v.id = x.id`, [
            ids,
            sealed,
          ]);
        }
        report.resealed += ids.length;
        return { last: rows.at(-1)?.id, read: rows.length };
      });
      onBatch?.(report);
      if (read < batchSize || !last) return report;
      after = last;
    }
  }
}
