import { Inject, Injectable } from '@nestjs/common';
import { Actor, assertInOrganization } from '@app/auth';
import { appConfig, AppConfig } from '@app/config';
import { AppError, csvDocument, Page, PageQueryDto, reasonDetails } from '@app/core';
import { JobProducer } from '@app/queue';
import { AddressImport, ImportFormat } from '../entities';
import { sniffAddressFile, UnreadableFileError } from '../import/read-addresses';
import { CampaignRepository } from '../repositories/campaign.repository';
import { ImportRepository, Rejection } from '../repositories/import.repository';

export interface ImportUpload {
  fileName: string;
  format: ImportFormat;
  content: Buffer;
}

/** Accepts address files and reports on them; the worker's ImportRunner does the loading. */
@Injectable()
export class AddressImportService {
  constructor(
    private readonly imports: ImportRepository,
    private readonly campaigns: CampaignRepository,
    private readonly jobs: JobProducer,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  /** Checks what can be checked at once (size, header), stores the file and queues the import; returns without waiting. */
  async start(actor: Actor, campaignId: string, upload: ImportUpload): Promise<AddressImport> {
    assertInOrganization(actor, await this.campaigns.findById(campaignId), 'Campaign');
    if (upload.content.length > this.app.importMaxBytes) {
      const maxMb = Math.round(this.app.importMaxBytes / 1024 / 1024);
      throw new AppError('PAYLOAD_TOO_LARGE', `The file is larger than the ${maxMb} MB limit`, reasonDetails('file_too_large', { maxMb }));
    }
    let estimatedRows: number;
    try {
      estimatedRows = sniffAddressFile(upload.content, upload.format).estimatedRows;
    } catch (err) {
      if (err instanceof UnreadableFileError) throw new AppError('UNREADABLE_FILE', err.message, reasonDetails(err.reason, err.params));
      throw err;
    }
    const created = await this.imports.create(
      {
        organizationId: actor.organizationId,
        campaignId,
        createdByUserId: actor.userId,
        fileName: upload.fileName,
        format: upload.format,
        sizeBytes: upload.content.length,
        rowsTotal: estimatedRows || null,
      },
      upload.content,
    );
    await this.jobs.enqueue('address-import', { importId: created.id }, { jobId: `address-import-${created.id}`, attempts: 3 });
    return created;
  }

  async get(actor: Actor, importId: string): Promise<AddressImport> {
    return assertInOrganization(actor, await this.imports.findById(importId), 'Import');
  }

  async listForCampaign(actor: Actor, campaignId: string, page: PageQueryDto): Promise<Page<AddressImport>> {
    assertInOrganization(actor, await this.campaigns.findById(campaignId), 'Campaign');
    const [items, total] = await this.imports.listForCampaign(campaignId, page.limit, page.offset);
    return { items, total, limit: page.limit, offset: page.offset };
  }

  async rejections(actor: Actor, importId: string, page: PageQueryDto): Promise<Page<Rejection>> {
    await this.get(actor, importId);
    const [items, total] = await this.imports.listRejections(importId, page.limit, page.offset);
    return { items, total, limit: page.limit, offset: page.offset };
  }

  /** The rejected rows as CSV (line,code,reason: a stable code, then the English), for the organizer to fix and upload again. */
  async rejectionsCsv(actor: Actor, importId: string): Promise<string> {
    await this.get(actor, importId);
    const rows = await this.imports.allRejections(importId);
    return csvDocument(
      ['line', 'code', 'reason'],
      rows.map((r) => [r.line, r.code ?? '', r.reason]),
    );
  }
}
