import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { validateAddress, ValidAddress } from '../import/address-row';
import { readAddresses, UnreadableFileError } from '../import/read-addresses';
import { ImportRepository, Rejection } from '../repositories/import.repository';

const BATCH = 1000;

export type ImportOutcome =
  | { status: 'completed'; rowsImported: number; duplicatesMerged: number; rowsRejected: number; addressesKeptApart: number }
  | { status: 'failed'; message: string }
  | { status: 'skipped' };

/**
 * Loads one address file: streams and checks every row, stages the valid ones in batches,
 * then merges them in one set-based statement per table. It all happens in one transaction,
 * so a file that turns out unreadable halfway leaves nothing behind; progress is written
 * beside it so that it shows while the import runs.
 */
@Injectable()
export class ImportRunner {
  private readonly logger = new Logger(ImportRunner.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly imports: ImportRepository,
  ) {}

  /** `finalAttempt`: when no retry follows, an unexpected error also marks the import failed instead of leaving it running. */
  async run(importId: string, opts: { finalAttempt?: boolean } = {}): Promise<ImportOutcome> {
    const job = await this.imports.claim(importId);
    if (!job) return { status: 'skipped' };
    try {
      const outcome = await this.dataSource.transaction(async (m) => {
        await this.imports.createStaging(m);
        let rowsRead = 0;
        let rejected = 0;
        let valid: ValidAddress[] = [];
        let rejections: Rejection[] = [];
        const flush = async () => {
          await this.imports.stage(m, valid);
          await this.imports.reject(m, importId, rejections);
          rejected += rejections.length;
          valid = [];
          rejections = [];
          await this.imports.progress(importId, rowsRead);
        };
        for await (const record of readAddresses(job.content, job.format)) {
          rowsRead++;
          const result = record.problem
            ? { ok: false as const, line: record.line, reason: record.problem, code: record.problemCode ?? null, params: undefined }
            : validateAddress(record.raw, record.line);
          if (result.ok) valid.push(result.address);
          else rejections.push({ line: result.line, code: result.code, params: result.params ?? null, reason: result.reason });
          if (valid.length + rejections.length >= BATCH) await flush();
        }
        await flush();
        const merged = await this.imports.merge(m, importId, job.organizationId, job.campaignId);
        const counts = {
          rowsRead,
          rowsImported: merged.doorsCreated,
          duplicatesMerged: merged.validRows - merged.doorsCreated,
          rowsRejected: rejected + merged.swapped,
          addressesKeptApart: merged.addressesKeptApart,
        };
        await this.imports.complete(m, importId, { ...counts, keptApartExamples: merged.keptApartExamples });
        return counts;
      });
      this.logger.log({ importId, ...outcome }, 'address import completed');
      return { status: 'completed', ...outcome };
    } catch (err) {
      if (err instanceof UnreadableFileError) {
        await this.imports.fail(importId, 'UNREADABLE_FILE', err.message, { reason: err.reason, params: err.params });
        return { status: 'failed', message: err.message };
      }
      this.logger.error({ importId, err: err instanceof Error ? err.message : String(err) }, 'address import failed');
      if (opts.finalAttempt)
        await this.imports.fail(
          importId,
          'INTERNAL',
          'The import failed on the server; try again, and tell the administrators if it fails again',
        );
      throw err;
    }
  }
}
